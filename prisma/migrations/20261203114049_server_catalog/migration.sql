-- CreateEnum
CREATE TYPE "ServerVersionState" AS ENUM ('pending', 'approved', 'rejected', 'withdrawn');

-- CreateEnum
CREATE TYPE "RegistryStatus" AS ENUM ('active', 'deprecated', 'deleted');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateTable
CREATE TABLE "Server" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ownerTeam" TEXT,
    "tags" TEXT NOT NULL DEFAULT ',',
    "riskLevel" "RiskLevel",
    "reviewerNotes" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Server_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerOwner" (
    "serverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addedById" TEXT NOT NULL,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerOwner_pkey" PRIMARY KEY ("serverId","userId")
);

-- CreateTable
CREATE TABLE "ServerVersion" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "description" TEXT NOT NULL,
    "title" TEXT,
    "transports" TEXT NOT NULL DEFAULT '',
    "registryTypes" TEXT NOT NULL DEFAULT '',
    "warnings" JSONB NOT NULL,
    "state" "ServerVersionState" NOT NULL DEFAULT 'pending',
    "status" "RegistryStatus" NOT NULL DEFAULT 'active',
    "statusMessage" TEXT,
    "statusChangedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "isLatest" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'console',
    "submittedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServerVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Server_name_key" ON "Server"("name");

-- CreateIndex
CREATE INDEX "Server_updatedAt_idx" ON "Server"("updatedAt");

-- CreateIndex
CREATE INDEX "ServerOwner_userId_idx" ON "ServerOwner"("userId");

-- CreateIndex
CREATE INDEX "ServerVersion_state_updatedAt_idx" ON "ServerVersion"("state", "updatedAt");

-- CreateIndex
CREATE INDEX "ServerVersion_updatedAt_idx" ON "ServerVersion"("updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ServerVersion_serverId_version_key" ON "ServerVersion"("serverId", "version");

-- AddForeignKey
ALTER TABLE "ServerOwner" ADD CONSTRAINT "ServerOwner_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerVersion" ADD CONSTRAINT "ServerVersion_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;
