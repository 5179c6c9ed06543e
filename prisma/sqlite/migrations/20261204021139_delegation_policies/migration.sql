-- AlterTable
ALTER TABLE "Server" ADD COLUMN "authIssuer" TEXT;

-- AlterTable
ALTER TABLE "Agent" ADD COLUMN "exchangeSecretHash" TEXT;
ALTER TABLE "Agent" ADD COLUMN "exchangeSecretIssuedAt" DATETIME;
ALTER TABLE "Agent" ADD COLUMN "exchangeSecretPrefix" TEXT;

-- CreateTable
CREATE TABLE "Policy" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "activeVersionId" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "policyId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "effect" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "submittedById" TEXT NOT NULL,
    "approvedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PolicyVersion_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Policy" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kid" TEXT NOT NULL,
    "alg" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "privateJwk" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" DATETIME
);

-- CreateTable
CREATE TABLE "AssertionJti" (
    "clientId" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("clientId", "jti")
);

-- CreateIndex
CREATE UNIQUE INDEX "Policy_activeVersionId_key" ON "Policy"("activeVersionId");

-- CreateIndex
CREATE INDEX "Policy_updatedAt_idx" ON "Policy"("updatedAt");

-- CreateIndex
CREATE INDEX "PolicyVersion_policyId_state_idx" ON "PolicyVersion"("policyId", "state");

-- CreateIndex
CREATE INDEX "PolicyVersion_serverId_idx" ON "PolicyVersion"("serverId");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_policyId_number_key" ON "PolicyVersion"("policyId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "SigningKey_kid_key" ON "SigningKey"("kid");

-- CreateIndex
CREATE INDEX "AssertionJti_expiresAt_idx" ON "AssertionJti"("expiresAt");

-- At most one pending version per policy: what holds when two submissions race.
CREATE UNIQUE INDEX "PolicyVersion_one_pending_per_policy" ON "PolicyVersion"("policyId") WHERE "state" = 'pending';
