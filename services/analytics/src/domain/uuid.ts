const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Workspace ids are UUIDs (the envelope schema only asks for a non-empty string). */
export const isUuid = (value: string) => UUID.test(value);
