import { describe, expect, it } from "vitest";
import { compareSemver, parseSemver, pickLatest } from "@/lib/registry/semver";

const cmp = (a: string, b: string) => compareSemver(parseSemver(a)!, parseSemver(b)!);

describe("semver", () => {
  it("parses semver 2.0.0 and refuses what is not", () => {
    expect(parseSemver("1.2.3")).toEqual({ major: 1n, minor: 2n, patch: 3n, pre: [] });
    expect(parseSemver("1.0.0-alpha.1+build.5")).toEqual({ major: 1n, minor: 0n, patch: 0n, pre: ["alpha", 1n] });
    for (const bad of ["1.2", "v1.2.3", "01.2.3", "1.2.3-", "1.2.3-01", "^1.2.3", "latest", "", "1.2.3.4"]) expect(parseSemver(bad), bad).toBeNull();
  });

  it("orders by precedence (semver.org §11), ignoring build metadata", () => {
    const ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0"];
    for (let i = 0; i + 1 < ordered.length; i++) expect(cmp(ordered[i], ordered[i + 1]), `${ordered[i]} < ${ordered[i + 1]}`).toBe(-1);
    expect(cmp("1.0.0+a", "1.0.0+b")).toBe(0);
    expect(cmp("99999999999999999999.0.0", "99999999999999999998.0.0")).toBe(1);
  });

  it("latest: highest semver; publish time decides when either is not semver", () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    expect(pickLatest([{ version: "2.0.0", publishedAt: t(1) }, { version: "1.9.0", publishedAt: t(2) }])?.version).toBe("2.0.0");
    expect(pickLatest([{ version: "1.0.0", publishedAt: t(2) }, { version: "1.0.0-rc.1", publishedAt: t(3) }])?.version).toBe("1.0.0");
    expect(pickLatest([{ version: "2.0.0", publishedAt: t(1) }, { version: "nightly", publishedAt: t(2) }])?.version).toBe("nightly");
    expect(pickLatest([{ version: "nightly", publishedAt: t(2) }, { version: "2.0.0", publishedAt: t(3) }])?.version).toBe("2.0.0");
    expect(pickLatest([])).toBeUndefined();
  });
});
