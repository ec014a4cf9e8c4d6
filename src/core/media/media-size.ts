/** "5 MB", "6.2 MB", "480 KB": sizes as a person reads them in an error message. */
export function formatSize(bytes: number): string {
  const megabytes = bytes / 1024 / 1024;
  if (megabytes >= 1) return `${Number(megabytes.toFixed(1))} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}
