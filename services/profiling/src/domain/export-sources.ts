/** A service whose part of a user's data profiling gathers into one export. */
export interface ExportSource {
  service: string
  url: string
}

/** `PRIVACY_EXPORT_SOURCES` as a list (`name=baseUrl`, comma-separated; the config checked its form). */
export function parseExportSources(spec: string): ExportSource[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=')
      return { service: entry.slice(0, at), url: entry.slice(at + 1).replace(/\/$/, '') }
    })
}
