-- CreateTable
CREATE TABLE "Server" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "ownerTeam" TEXT,
    "tags" TEXT NOT NULL DEFAULT ',',
    "riskLevel" TEXT,
    "reviewerNotes" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ServerOwner" (
    "serverId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "addedById" TEXT NOT NULL,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("serverId", "userId"),
    CONSTRAINT "ServerOwner_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServerVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "description" TEXT NOT NULL,
    "title" TEXT,
    "transports" TEXT NOT NULL DEFAULT '',
    "registryTypes" TEXT NOT NULL DEFAULT '',
    "warnings" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "status" TEXT NOT NULL DEFAULT 'active',
    "statusMessage" TEXT,
    "statusChangedAt" DATETIME,
    "publishedAt" DATETIME,
    "isLatest" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'console',
    "submittedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ServerVersion_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
