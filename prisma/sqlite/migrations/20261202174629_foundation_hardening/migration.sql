-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN "clientAddress" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "credentialId" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "credentialLabel" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "keyId" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "quarantineReason" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "quarantinedAt" DATETIME;
ALTER TABLE "AuditEvent" ADD COLUMN "userAgent" TEXT;
ALTER TABLE "AuditEvent" ADD COLUMN "via" TEXT;

-- CreateTable
CREATE TABLE "UserSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    "address" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL DEFAULT 'human',
    "email" TEXT,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "ssoIssuer" TEXT,
    "ssoSubject" TEXT,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastLoginAt" DATETIME,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO "new_User" ("createdAt", "createdById", "disabled", "email", "id", "kind", "lastLoginAt", "name", "passwordHash", "role", "ssoIssuer", "ssoSubject", "updatedAt") SELECT "createdAt", "createdById", "disabled", "email", "id", "kind", "lastLoginAt", "name", "passwordHash", "role", "ssoIssuer", "ssoSubject", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE INDEX "User_kind_createdAt_idx" ON "User"("kind", "createdAt");
CREATE UNIQUE INDEX "User_ssoIssuer_ssoSubject_key" ON "User"("ssoIssuer", "ssoSubject");
CREATE TABLE "new_LoginFailure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_LoginFailure" ("at", "email", "id") SELECT "at", "email", "id" FROM "LoginFailure";
DROP TABLE "LoginFailure";
ALTER TABLE "new_LoginFailure" RENAME TO "LoginFailure";
CREATE INDEX "LoginFailure_email_at_idx" ON "LoginFailure"("email", "at");
CREATE INDEX "LoginFailure_address_at_idx" ON "LoginFailure"("address", "at");
CREATE INDEX "LoginFailure_at_idx" ON "LoginFailure"("at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "UserSession_userId_revokedAt_idx" ON "UserSession"("userId", "revokedAt");

-- One pending review per subject, enforced by the database (a partial unique index Prisma's
-- schema cannot express; hand-written here, see docs/database.md).
CREATE UNIQUE INDEX "Review_one_pending_per_subject" ON "Review"("subjectType", "subjectId") WHERE "state" = 'pending';
