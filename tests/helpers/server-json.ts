// A minimal valid server.json for tests: one streamable-http remote, a description from the name.
export const doc = (name: string, version = "1.0.0", extra: Record<string, unknown> = {}) => ({
  name,
  description: `Tools for ${name}`,
  version,
  remotes: [{ type: "streamable-http", url: "https://mcp.example.com/mcp" }],
  ...extra,
});
