-- AlterTable
ALTER TABLE "ServerVersion" ADD COLUMN "admittedByRuleId" TEXT;
ALTER TABLE "ServerVersion" ADD COLUMN "admittedRuleApproverId" TEXT;
ALTER TABLE "ServerVersion" ADD COLUMN "batchId" TEXT;

-- CreateTable
CREATE TABLE "Upstream" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "intervalMinutes" INTEGER NOT NULL DEFAULT 60,
    "updatedSince" TEXT,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "lastStartedAt" DATETIME,
    "lastFinishedAt" DATETIME,
    "lastError" TEXT,
    "lastCounts" JSONB,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SyncAllowRule" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "upstreamId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "comment" TEXT,
    "createdById" TEXT NOT NULL,
    "approvedById" TEXT,
    "approvedAt" DATETIME,
    "revokedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SyncAllowRule_upstreamId_fkey" FOREIGN KEY ("upstreamId") REFERENCES "Upstream" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Upstream_name_key" ON "Upstream"("name");

-- CreateIndex
CREATE INDEX "SyncAllowRule_upstreamId_state_idx" ON "SyncAllowRule"("upstreamId", "state");

-- CreateIndex
CREATE INDEX "ServerVersion_batchId_idx" ON "ServerVersion"("batchId");
