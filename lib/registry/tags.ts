// Tags are stored as ",a,b," (lower case, sorted, commas at both ends) so that one LIKE finds a
// tag exactly on both engines; these convert between that and a list.

export const TAG_PATTERN = /^[a-z0-9][a-z0-9.-]{0,39}$/;

export function tagList(stored: string): string[] {
  return stored.split(",").filter(Boolean);
}

export function storedTags(tags: readonly string[]): string {
  const list = [...new Set(tags.map((t) => t.toLowerCase()))].sort();
  return `,${list.join(",")}${list.length ? "," : ""}`;
}
