import { SERVER_SCHEMA_URL } from "@/lib/registry/server-json";

/** The smallest useful server.json: one npm package started over stdio. Offered on the empty editor. */
export const EXAMPLE_DOCUMENT = {
  $schema: SERVER_SCHEMA_URL,
  name: "io.github.example/weather",
  description: "Current conditions and forecasts for any city",
  version: "1.0.0",
  packages: [{ registryType: "npm", identifier: "@example/weather-mcp", version: "1.0.0", transport: { type: "stdio" } }],
};

export const EXAMPLE_TEXT = `${JSON.stringify(EXAMPLE_DOCUMENT, null, 2)}\n`;
