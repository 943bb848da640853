import { SetMetadata } from '@nestjs/common';

export const AUDIT_NO_CHANGES = 'audit:no-changes';

/**
 * The audit entry of this route records no before/after values (e.g. an erasure: the "before"
 * would copy the very personal data being erased into the append-only log).
 */
export const AuditWithoutChanges = () => SetMetadata(AUDIT_NO_CHANGES, true);
