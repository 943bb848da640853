import { HttpStatus } from '@nestjs/common';

/** Coded domain errors, mapped to HTTP in one place (the exception filter). */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  Unprocessable = 'UNPROCESSABLE',
  Unavailable = 'UNAVAILABLE',
}

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.TooManyRequests]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.Unprocessable]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
};

export class ApplicationException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra JSON fields for the client (e.g. existingId on a duplicate, failing tests on a refused publish). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (what: string, details?: Record<string, unknown>) =>
  new ApplicationException(ErrorCode.NotFound, `${what} not found`, details);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new ApplicationException(ErrorCode.Conflict, message, details);
export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new ApplicationException(ErrorCode.ValidationFailed, message, details);
export const forbidden = (message = 'You do not have access to this resource') => new ApplicationException(ErrorCode.Forbidden, message);
