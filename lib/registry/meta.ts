// The `_meta` keys of a ServerResponse: the official namespace carries exactly the fields the
// Registry OpenAPI names; everything this product adds (review state, risk, tags, owner team)
// sits under its own reverse-DNS key, never inside the official one.

export const OFFICIAL_META = "io.modelcontextprotocol.registry/official";
export const PORTCULLIS_META = "io.portcullis/catalog";
