/** A row as the driver returns it. */
export type Row = Record<string, unknown>;

/** A table's columns, each with the record field it holds and its PostgreSQL type: the one mapping between rows and records. */
export type Columns<T> = readonly (readonly [column: string, field: keyof T & string, type: string])[];

/** What a store derives from its column table. */
export function columnMapping<T>(columns: Columns<T>) {
  return {
    /** Records serialised as they are (JSON field names), read with json_to_recordset, come back as rows of these. */
    recordType: columns.map(([, field, type]) => `"${field}" ${type}`).join(', '),
    recordFields: columns.map(([, field]) => `"${field}"`).join(', '),
    /** The record of a row. */
    fromRow: (row: Row): T => {
      const record: Record<string, unknown> = {};
      for (const [column, field] of columns) record[field] = row[column];
      // Every field of T has its column (the table's type says so).
      return record as T;
    },
  };
}
