-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "purpose" TEXT,
    "ownerTeam" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "currentVersionId" TEXT,
    "draftDocument" TEXT,
    "draftUpdatedAt" DATETIME,
    "draftUpdatedById" TEXT,
    "revokedAt" DATETIME,
    "revokedById" TEXT,
    "revokeReason" TEXT,
    "deletedAt" DATETIME,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AgentOwner" (
    "agentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addedById" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("agentId", "userId"),
    CONSTRAINT "AgentOwner_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AgentServer" (
    "agentId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,

    PRIMARY KEY ("agentId", "serverId"),
    CONSTRAINT "AgentServer_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AgentServer_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AgentVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "canonical" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "hostedJwks" JSONB,
    "warnings" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "source" TEXT NOT NULL DEFAULT 'console',
    "publishedAt" DATETIME,
    "submittedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AgentVersion_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AgentKey" (
    "agentId" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "kty" TEXT NOT NULL,
    "alg" TEXT,
    "thumbprint" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" DATETIME,

    PRIMARY KEY ("agentId", "kid"),
    CONSTRAINT "AgentKey_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Agent_slug_key" ON "Agent"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_clientId_key" ON "Agent"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_currentVersionId_key" ON "Agent"("currentVersionId");

-- CreateIndex
CREATE INDEX "Agent_status_updatedAt_idx" ON "Agent"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "AgentOwner_userId_idx" ON "AgentOwner"("userId");

-- CreateIndex
CREATE INDEX "AgentServer_serverId_idx" ON "AgentServer"("serverId");

-- CreateIndex
CREATE INDEX "AgentVersion_agentId_state_idx" ON "AgentVersion"("agentId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "AgentVersion_agentId_number_key" ON "AgentVersion"("agentId", "number");

-- At most one pending version per agent: what holds when two submissions race.
CREATE UNIQUE INDEX "AgentVersion_one_pending_per_agent" ON "AgentVersion"("agentId") WHERE "state" = 'pending';
