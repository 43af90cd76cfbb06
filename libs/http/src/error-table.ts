import type { ErrorCode, ErrorParam } from '@hop/errors';

export interface ErrorRow {
  status: number;
  /**
   * Messages may name `{param}`s, filled from the DomainError's params. In `ar`, `{resource}` is
   * the Arabic noun of the resource (see RESOURCE_NOUNS_AR), indefinite.
   */
  en: string;
  ar: string;
}

/** The one table mapping domain error codes to HTTP status and bilingual message. */
export const ERROR_TABLE: Record<ErrorCode, ErrorRow> = {
  INVALID_REQUEST: { status: 400, en: 'Invalid request', ar: 'طلب غير صالح' },
  INVALID_REQUEST_FORMAT: { status: 400, en: 'Invalid request format', ar: 'تنسيق طلب غير صالح' },
  INVALID_API_KEY: { status: 401, en: 'Invalid API key', ar: 'مفتاح API غير صالح' },
  MISSING_SCOPES: { status: 403, en: 'Missing required scopes', ar: 'الصلاحيات المطلوبة مفقودة' },
  RATE_LIMITED: { status: 429, en: 'Rate limit exceeded', ar: 'تم تجاوز حد المعدل' },
  NOT_FOUND: { status: 404, en: 'Not found', ar: 'غير موجود' },
  METHOD_NOT_ALLOWED: { status: 405, en: 'Method not allowed', ar: 'الطريقة غير مسموح بها' },
  PAYLOAD_TOO_LARGE: { status: 413, en: 'Request body too large', ar: 'حجم نص الطلب كبير جدًا' },
  UNSUPPORTED_CHARSET: {
    status: 415,
    en: 'Unsupported charset "{charset}": send the body as UTF-8',
    ar: 'مجموعة الأحرف "{charset}" غير مدعومة: أرسل نص الطلب بترميز UTF-8',
  },
  URI_TOO_LONG: {
    status: 414,
    en: 'Request line too long: at most {limit} bytes for the request line and headers together',
    ar: 'سطر الطلب طويل جدًا: الحد الأقصى {limit} بايت لسطر الطلب والترويسات معًا',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    en: 'Request headers too large: at most {limit} bytes for the request line and headers together',
    ar: 'ترويسات الطلب كبيرة جدًا: الحد الأقصى {limit} بايت لسطر الطلب والترويسات معًا',
  },
  REQUEST_TIMEOUT: { status: 408, en: 'The request was not received in time', ar: 'لم يتم استلام الطلب في الوقت المحدد' },
  INTERNAL_PROOF_MISSING: {
    status: 401,
    en: 'Request did not come through the gateway',
    ar: 'لم يمر الطلب عبر البوابة',
  },
  ADMIN_TOKEN_INVALID: { status: 401, en: 'Invalid admin token', ar: 'رمز المسؤول غير صالح' },
  UPSTREAM_UNAVAILABLE: {
    status: 503,
    en: 'Service temporarily unavailable',
    ar: 'الخدمة غير متاحة مؤقتًا',
  },
  INTERNAL: { status: 500, en: 'Internal server error', ar: 'خطأ داخلي في الخادم' },
  BATCH_TOO_LARGE: {
    status: 400,
    en: 'Too many items: at most {max} per request on your plan',
    ar: 'عدد العناصر كبير جدًا: الحد الأقصى {max} لكل طلب في خطتك',
  },
  FEATURE_NOT_IN_PLAN: {
    status: 400,
    en: 'Your plan does not include the {feature} feature',
    ar: 'خطتك لا تتضمن ميزة {feature}',
  },
  RESOURCE_NOT_FOUND: {
    status: 400,
    en: '{resource} not found in your workspace: {ids}',
    ar: 'لا يوجد {resource} بهذا المعرف في مساحة العمل الخاصة بك: {ids}',
  },
  EXTERNAL_ID_TAKEN: {
    status: 400,
    en: 'externalId already in use in your workspace: {ids}',
    ar: 'المعرف الخارجي مستخدم بالفعل في مساحة العمل الخاصة بك: {ids}',
  },
  DUPLICATE_NAME: {
    status: 400,
    en: 'A {resource} named "{name}" already exists',
    ar: 'يوجد بالفعل {resource} بالاسم "{name}"',
  },
  LINK_QUOTA_EXCEEDED: {
    status: 400,
    en: 'Link quota of your plan exceeded ({quota} links)',
    ar: 'تم تجاوز حصة الروابط في خطتك ({quota} رابط)',
  },
  INVALID_DATE_RANGE: {
    status: 400,
    en: 'startDate must not be after endDate',
    ar: 'يجب ألا يكون تاريخ البدء بعد تاريخ الانتهاء',
  },
  CLICK_NOT_FOUND: {
    status: 400,
    en: 'Click ID {clickId} not found or does not belong to your workspace',
    ar: 'معرف النقرة {clickId} غير موجود أو لا ينتمي إلى مساحة العمل الخاصة بك',
  },
  NO_PRIOR_LEAD: {
    status: 400,
    en: 'No earlier lead found for customer {customerExternalId} to attribute this event to',
    ar: 'لم يتم العثور على عميل محتمل سابق للعميل {customerExternalId} لنسب هذا الحدث إليه',
  },
  NO_ATTRIBUTION: {
    status: 400,
    en: 'Cannot attribute this sale: no clickId was given and customer {customerExternalId} has no lead to attribute it to',
    ar: 'لا يمكن نسب عملية البيع هذه: لم يتم تقديم معرف نقرة وليس لدى العميل {customerExternalId} عميل محتمل لنسبها إليه',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    en: 'Idempotency key {key} was already used for a different sale',
    ar: 'مفتاح منع التكرار {key} مستخدم بالفعل لعملية بيع مختلفة',
  },
  CONFLICT: { status: 409, en: 'Conflict: {reason}', ar: 'تعارض: {reason}' },
  KEY_TAKEN: {
    status: 409,
    en: 'Short link key already in use on its domain: {keys}',
    ar: 'مفتاح الرابط المختصر مستخدم بالفعل على نطاقه: {keys}',
  },
  DOMAIN_NOT_USABLE: {
    status: 400,
    en: 'Domain is not a verified domain of your workspace: {names}',
    ar: 'النطاق ليس نطاقًا موثقًا في مساحة العمل الخاصة بك: {names}',
  },
  DOMAIN_TAKEN: {
    status: 409,
    en: 'Domain already verified by another workspace: {names}',
    ar: 'النطاق موثق بالفعل من قبل مساحة عمل أخرى: {names}',
  },
  DOMAIN_HAS_LINKS: {
    status: 409,
    en: 'Domain {name} still has {count} links: move or delete them first',
    ar: 'لا يزال النطاق {name} يحتوي على {count} رابط: انقلها أو احذفها أولًا',
  },
  DOMAIN_QUOTA_EXCEEDED: {
    status: 400,
    en: 'Domain quota of your plan exceeded ({quota} domains)',
    ar: 'تم تجاوز حصة النطاقات في خطتك ({quota} نطاق)',
  },
  NOT_SIGNED_IN: { status: 401, en: 'Not signed in', ar: 'لم يتم تسجيل الدخول' },
  INVALID_CREDENTIALS: { status: 401, en: 'Invalid email or password', ar: 'البريد الإلكتروني أو كلمة المرور غير صحيحة' },
  CSRF_REJECTED: {
    status: 403,
    en: 'Missing or invalid CSRF token, or a foreign origin',
    ar: 'رمز CSRF مفقود أو غير صالح، أو مصدر غير مسموح به',
  },
  NOT_A_MEMBER: { status: 403, en: 'You are not a member of this workspace', ar: 'لست عضوًا في مساحة العمل هذه' },
  ROLE_FORBIDDEN: { status: 403, en: 'Your role does not allow this: {reason}', ar: 'دورك لا يسمح بذلك: {reason}' },
  LAST_OWNER: {
    status: 409,
    en: 'A workspace must keep at least one owner',
    ar: 'يجب أن تحتفظ مساحة العمل بمالك واحد على الأقل',
  },
  INVITATION_INVALID: {
    status: 400,
    en: 'This invitation link is invalid, already used or expired',
    ar: 'رابط الدعوة هذا غير صالح أو مستخدم بالفعل أو منتهي الصلاحية',
  },
};

/**
 * The Arabic nouns (indefinite) of the resources errors name in `{resource}`, by their English
 * label (any case). Every label the services use is here (error-table.test.ts checks the known ones).
 */
export const RESOURCE_NOUNS_AR: Readonly<Record<string, string>> = {
  link: 'رابط',
  domain: 'نطاق',
  collection: 'مجموعة',
  tag: 'وسم',
  partner: 'شريك',
  webhook: 'خطاف ويب',
  workspace: 'مساحة عمل',
  customer: 'عميل',
};

/** `Collection, Tag` → `مجموعة أو وسم`; a label without an Arabic noun is kept as given. */
const resourceInArabic = (labels: string) =>
  labels
    .split(/,\s*/)
    .map((label) => RESOURCE_NOUNS_AR[label.toLowerCase()] ?? label)
    .join(' أو ');

export function fillTemplate(template: string, params: Record<string, ErrorParam> = {}, language: 'en' | 'ar' = 'en'): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    if (typeof value === 'object') return value[language];
    return language === 'ar' && name === 'resource' ? resourceInArabic(String(value)) : String(value);
  });
}
