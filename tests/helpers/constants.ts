// Values shared by the test helpers and the tests.
export const SEED_PASSWORD = "correct horse battery staple";
export const TEST_AUTH_SECRET = "test-auth-secret-0123456789abcdefghijklmnopqrstuvwxyz";
export const BASE_URL = "http://localhost:3000";
export const ROLES = ["admin", "approver", "publisher", "auditor"] as const;
export type TestRole = (typeof ROLES)[number];
