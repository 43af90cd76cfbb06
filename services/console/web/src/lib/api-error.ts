/** An error answer of Hop's API (`{"error":{"en","ar"},"details":[…]}`), whatever its status. */
export interface ApiErrorDetail {
  path: string;
  message: string;
  index?: number;
  field?: string;
}

export type Language = 'en' | 'ar';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly text: Record<Language, string>,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(text.en);
    this.name = 'ApiError';
  }

  /** The API's own message in the user's language. */
  in(language: Language): string {
    return this.text[language] || this.text.en;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads an error body; anything unexpected still yields a usable bilingual message. */
export function readApiError(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const en = typeof error.en === 'string' ? error.en : `Request failed (${status})`;
  const ar = typeof error.ar === 'string' ? error.ar : `تعذّر الطلب (${status})`;
  const rawDetails = isRecord(body) && Array.isArray(body.details) ? body.details : [];
  const details = rawDetails.filter(isRecord).flatMap((d): ApiErrorDetail[] =>
    typeof d.path === 'string' && typeof d.message === 'string'
      ? [{ path: d.path, message: d.message, index: typeof d.index === 'number' ? d.index : undefined, field: typeof d.field === 'string' ? d.field : undefined }]
      : [],
  );
  return new ApiError(status, { en, ar }, details);
}

/**
 * The validator's English sentences, recognised so a field's problem reads in Arabic too
 * (the API localises its top-level message only). Unknown sentences are shown as the API wrote them.
 */
const ARABIC_PATTERNS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^is required$/, () => 'هذا الحقل مطلوب'],
  [/^is not allowed$/, () => 'هذا الحقل غير مسموح به'],
  [/^is not allowed to be empty$/, () => 'لا يمكن أن يكون هذا الحقل فارغًا'],
  [/^must be an absolute http\(s\) URL$/, () => 'يجب أن يكون رابطًا كاملًا يبدأ بـ http أو https'],
  [/^must be an ISO 8601 date-time/, () => 'يجب أن يكون تاريخًا ووقتًا بصيغة ISO 8601 مع المنطقة الزمنية'],
  [/^must be a valid GUID$/, () => 'يجب أن يكون معرّفًا صالحًا (UUID)'],
  [/^must be a boolean$/, () => 'يجب أن تكون القيمة صحيحة أو خاطئة'],
  [/^must be one of \[(.*)\]$/, (m) => `يجب أن تكون إحدى القيم: ${m[1]}`],
  [/^length must be less than or equal to (\d+) characters long$/, (m) => `يجب ألا يتجاوز الطول ${m[1]} حرفًا`],
  [/^must have less than or equal to (\d+) keys$/, (m) => `يجب ألا يتجاوز عدد العناصر ${m[1]}`],
  [/^must be a string$/, () => 'يجب أن يكون نصًا'],
  [/^must be a valid email$/, () => 'يجب أن يكون بريدًا إلكترونيًا صالحًا'],
  [/^has "(.*)", which is not an ISO 3166-1 alpha-2 country code/, (m) => `يحتوي على "${m[1]}" وهو ليس رمز دولة ISO 3166-1 من حرفين`],
  [/^needs the (\w+) feature, which your plan does not include$/, (m) => `يتطلب ميزة ${m[1]} التي لا تشملها خطتك`],
  [/^"(.*)" is already used on (.*)$/, (m) => `المفتاح "${m[1]}" مستخدم بالفعل على ${m[2]}`],
  [/^(.*) is not a verified domain of your workspace$/, (m) => `${m[1]} ليس نطاقًا مُتحقَّقًا منه في مساحة عملك`],
];

export function detailMessage(message: string, language: Language): string {
  if (language === 'en') return message;
  for (const [pattern, translate] of ARABIC_PATTERNS) {
    const match = message.match(pattern);
    if (match) return translate(match);
  }
  return message;
}

/**
 * The problems of one item of a batch body (index 0 for a single-item form), keyed by field
 * ("utm.source" stays dotted), in the user's language. Problems without a field go under "".
 */
export function fieldErrors(error: ApiError, language: Language, index = 0): Record<string, string> {
  const out: Record<string, string> = {};
  for (const detail of error.details) {
    if (detail.index !== undefined && detail.index !== index) continue;
    const field = detail.field ?? (detail.index === undefined ? detail.path : '');
    const text = detailMessage(detail.message, language);
    out[field] = out[field] ? `${out[field]}; ${text}` : text;
  }
  return out;
}
