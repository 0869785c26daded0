let counter = 0;

/** A run id unique within this process and across processes sharing a store. */
export function uniqueRunId(label: string): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}
