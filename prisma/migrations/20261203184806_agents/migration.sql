-- CreateEnum
CREATE TYPE "AgentKind" AS ENUM ('interactive', 'headless');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('active', 'revoked', 'deleted');

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AgentKind" NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "purpose" TEXT,
    "ownerTeam" TEXT,
    "status" "AgentStatus" NOT NULL DEFAULT 'active',
    "currentVersionId" TEXT,
    "draftDocument" TEXT,
    "draftUpdatedAt" TIMESTAMP(3),
    "draftUpdatedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,
    "revokeReason" TEXT,
    "deletedAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentOwner" (
    "agentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addedById" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentOwner_pkey" PRIMARY KEY ("agentId","userId")
);

-- CreateTable
CREATE TABLE "AgentServer" (
    "agentId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,

    CONSTRAINT "AgentServer_pkey" PRIMARY KEY ("agentId","serverId")
);

-- CreateTable
CREATE TABLE "AgentVersion" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "canonical" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "hostedJwks" JSONB,
    "warnings" JSONB NOT NULL,
    "state" "ServerVersionState" NOT NULL DEFAULT 'pending',
    "source" TEXT NOT NULL DEFAULT 'console',
    "publishedAt" TIMESTAMP(3),
    "submittedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentVersion_pkey" PRIMARY KEY ("id")
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "AgentKey_pkey" PRIMARY KEY ("agentId","kid")
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

-- AddForeignKey
ALTER TABLE "AgentOwner" ADD CONSTRAINT "AgentOwner_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentServer" ADD CONSTRAINT "AgentServer_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentServer" ADD CONSTRAINT "AgentServer_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentVersion" ADD CONSTRAINT "AgentVersion_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentKey" ADD CONSTRAINT "AgentKey_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- At most one pending version per agent: what holds when two submissions race.
CREATE UNIQUE INDEX "AgentVersion_one_pending_per_agent" ON "AgentVersion"("agentId") WHERE "state" = 'pending';
