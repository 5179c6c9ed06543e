-- AlterEnum
ALTER TYPE "ReviewState" ADD VALUE 'withdrawn';

-- AlterTable
ALTER TABLE "ServerVersion" ADD COLUMN     "admittedByRuleId" TEXT,
ADD COLUMN     "admittedRuleApproverId" TEXT,
ADD COLUMN     "batchId" TEXT;

-- CreateTable
CREATE TABLE "Upstream" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "intervalMinutes" INTEGER NOT NULL DEFAULT 60,
    "updatedSince" TEXT,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "lastStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "lastCounts" JSONB,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Upstream_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncAllowRule" (
    "id" TEXT NOT NULL,
    "upstreamId" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "state" "ReviewState" NOT NULL DEFAULT 'pending',
    "comment" TEXT,
    "createdById" TEXT NOT NULL,
    "approvedById" TEXT,
    "approvedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncAllowRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Upstream_name_key" ON "Upstream"("name");

-- CreateIndex
CREATE INDEX "SyncAllowRule_upstreamId_state_idx" ON "SyncAllowRule"("upstreamId", "state");

-- CreateIndex
CREATE INDEX "ServerVersion_batchId_idx" ON "ServerVersion"("batchId");

-- AddForeignKey
ALTER TABLE "SyncAllowRule" ADD CONSTRAINT "SyncAllowRule_upstreamId_fkey" FOREIGN KEY ("upstreamId") REFERENCES "Upstream"("id") ON DELETE CASCADE ON UPDATE CASCADE;
