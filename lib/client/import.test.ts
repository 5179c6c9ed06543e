import { describe, expect, it } from "vitest";
import { ApiClientError } from "@/lib/client/api";
import { runImport, type ImportBody } from "@/lib/client/import";
import type { ImportReport } from "@/lib/registry/import-file";

// A fake server: every document is accepted, except those whose `bad` field the "API" refuses
// as a whole body (422 naming documents.<i>.bad), and bodies over `limit` characters (413).
function fakeServer(limit = Infinity) {
  const calls: ImportBody[] = [];
  const post = async (body: ImportBody): Promise<ImportReport> => {
    calls.push(body);
    if (JSON.stringify(body).length > limit) throw new ApiClientError(413, "payload_too_large", "Request body exceeds 1048576 bytes");
    const bad = body.documents.flatMap((d, i) => ((d as { bad?: boolean }).bad ? [{ field: `documents.${i}.bad`, message: "must not contain control characters" }] : []));
    if (bad.length) throw new ApiClientError(422, "validation_failed", "Invalid", bad);
    return {
      batchId: body.batchId ?? "imp_first",
      accepted: body.documents.map((d, index) => ({ index, name: (d as { name: string }).name, version: "1", versionId: `v${index}`, reviewId: null, warnings: [] })),
      rejected: [],
      unchanged: [],
    };
  };
  return { calls, post };
}

describe("runImport", () => {
  it("sends chunks under the first answer's batch id and reports file positions", async () => {
    const s = fakeServer();
    const progress: number[] = [];
    const docs = Array.from({ length: 7 }, (_, i) => ({ name: `n${i}` }));
    const run = await runImport(docs, { post: s.post, chunkSize: 3, onProgress: (d) => progress.push(d) });
    expect(s.calls.map((c) => [c.documents.length, c.batchId])).toEqual([
      [3, undefined],
      [3, "imp_first"],
      [1, "imp_first"],
    ]);
    expect(progress).toEqual([3, 6, 7]);
    expect(run.report.accepted.map((a) => [a.index, a.name])).toEqual(docs.map((d, i) => [i, d.name]));
    expect(run).toMatchObject({ done: 7, report: { batchId: "imp_first", rejected: [] } });
  });

  it("documents a refused body names are rejected here, the rest sent again", async () => {
    const s = fakeServer();
    const run = await runImport([{ name: "a" }, { name: "b", version: "2", bad: true }, { name: "c" }], { post: s.post });
    expect(run.report.rejected).toEqual([{ index: 1, name: "b", version: "2", reasons: [{ pointer: "/bad", message: "must not contain control characters" }] }]);
    expect(run.report.accepted.map((a) => [a.index, a.name])).toEqual([
      [0, "a"],
      [2, "c"],
    ]);
  });

  it("a chunk too large is halved; a single document too large is rejected", async () => {
    const s = fakeServer(200);
    const big = { name: "big", pad: "x".repeat(300) };
    const run = await runImport([{ name: "a" }, { name: "b" }, big, { name: "c" }], { post: s.post, chunkSize: 4 });
    expect(run.report.accepted.map((a) => a.index)).toEqual([0, 1, 3]);
    expect(run.report.rejected).toEqual([{ index: 2, name: "big", reasons: [{ pointer: "", message: "is larger than one import request may carry (1 MB)" }] }]);
  });

  it("any other error stops the import and keeps what was done; a stop request ends it between chunks", async () => {
    let n = 0;
    const failing = async (body: ImportBody): Promise<ImportReport> => {
      if (n++ === 1) throw new ApiClientError(0, "network_error", "Could not reach the Portcullis server.");
      return fakeServer().post(body);
    };
    const run = await runImport([{ name: "a" }, { name: "b" }, { name: "c" }], { post: failing, chunkSize: 1 });
    expect(run.done).toBe(1);
    expect((run.error as ApiClientError).code).toBe("network_error");
    let stop = false;
    const stopped = await runImport([{ name: "a" }, { name: "b" }], { post: fakeServer().post, chunkSize: 1, onProgress: () => (stop = true), shouldStop: () => stop });
    expect(stopped).toMatchObject({ done: 1, stopped: true });
  });
});
