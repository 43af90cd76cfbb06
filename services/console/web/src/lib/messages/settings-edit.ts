/** Strings of the webhook and domain edit dialogs, secret rotation, test sends and redeliveries. */
export const en = {
  webhookEdit: {
    title: 'Edit webhook {{name}}',
    collections: 'Only links of these collections (none: every collection)',
    linkIds: 'Only these link ids',
    filtersHint: 'One link id a line; empty: every link. With collections too, a link must pass both.',
    active: 'Active (deliveries are sent)',
    saved: 'Webhook saved',
    rotate: 'Rotate secret',
    confirmRotate: 'Make a new signing secret for {{name}}? The old one keeps signing beside it for 24 hours.',
    rotatedOnce: 'The new signing secret, shown only once: the old one keeps working for 24 hours, move your receiver to this one.',
    testType: 'Test event',
    sendTest: 'Send a test event',
    testSent: 'Test event queued',
    duration: 'Duration',
    ms: '{{n}} ms',
    retry: 'Send again',
    retryOf: 'Send again: {{event}} of {{when}}',
    retried: 'Delivery queued again',
  },
  domainEdit: {
    title: 'Edit domain {{name}}',
    rootRedirectUrl: 'Where the domain’s root goes',
    rootHint: 'Visitors of the domain without a key; empty: a page naming the domain.',
    notFoundUrl: 'Where unknown keys go',
    notFoundHint: 'Visitors of a key no link has; empty: the not-found page.',
    saved: 'Domain saved',
  },
};

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const ar: Shape<typeof en> = {
  webhookEdit: {
    title: 'تعديل خطاف الويب {{name}}',
    collections: 'روابط هذه المجموعات فقط (بلا اختيار: كل المجموعات)',
    linkIds: 'معرّفات هذه الروابط فقط',
    filtersHint: 'معرّف رابط في كل سطر؛ فارغ: كل الروابط. مع المجموعات يجب أن يطابق الرابط كليهما.',
    active: 'نشط (تُرسَل التسليمات)',
    saved: 'تم حفظ خطاف الويب',
    rotate: 'تدوير السر',
    confirmRotate: 'إنشاء سر توقيع جديد لـ {{name}}؟ يبقى السر القديم يوقّع بجانبه لمدة 24 ساعة.',
    rotatedOnce: 'سر التوقيع الجديد، يظهر مرة واحدة فقط: يبقى القديم صالحًا لمدة 24 ساعة، انقل المستقبِل إلى هذا السر.',
    testType: 'حدث تجريبي',
    sendTest: 'إرسال حدث تجريبي',
    testSent: 'تمت جدولة الحدث التجريبي',
    duration: 'المدة',
    ms: '{{n}} ملّي ثانية',
    retry: 'إرسال مجددًا',
    retryOf: 'إرسال مجددًا: {{event}} بتاريخ {{when}}',
    retried: 'تمت جدولة التسليم مجددًا',
  },
  domainEdit: {
    title: 'تعديل النطاق {{name}}',
    rootRedirectUrl: 'وجهة جذر النطاق',
    rootHint: 'زوار النطاق دون مفتاح؛ فارغ: صفحة تعرض اسم النطاق.',
    notFoundUrl: 'وجهة المفاتيح غير المعروفة',
    notFoundHint: 'زوار مفتاح لا يطابق أي رابط؛ فارغ: صفحة "غير موجود".',
    saved: 'تم حفظ النطاق',
  },
};
