import { Request, Response } from 'express';
import multer from 'multer';
import { ApplicationException, ErrorCode, badRequest } from '../common/errors/application.exception';
import { formatBytes } from './domain/policy';

export interface UploadedPart {
  field: string;
  originalName: string;
  buffer: Buffer;
}

export interface ParsedUpload {
  files: Record<string, UploadedPart>;
  fields: Record<string, string>;
}

/**
 * Reads a multipart upload into memory with hard caps enforced while it streams (multer's
 * memory storage over busboy): past `maxFileBytes` the part is cut off, nothing more is kept,
 * the rest of the request is drained and discarded, and the caller gets 413 naming the cap.
 */
export function parseMultipart(
  req: Request,
  res: Response,
  opts: { fileFields: string[]; textFields?: string[]; maxFileBytes: number; maxFieldBytes?: number },
): Promise<ParsedUpload> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      badRequest(
        `Send the upload as multipart/form-data with the archive in the field${opts.fileFields.length > 1 ? 's' : ''} ${opts.fileFields.map((f) => `"${f}"`).join(', ')}`,
      ),
    );
  }
  // Browsers send a file name's UTF-8 bytes raw (WHATWG multipart); busboy's default, latin1,
  // turned "résumé.pdf" into "rÃ©sumÃ©.pdf". (multer 2 passes the option on; its types lag.)
  const options: multer.Options & { defParamCharset: string } = {
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: {
      fileSize: opts.maxFileBytes,
      files: opts.fileFields.length,
      fields: (opts.textFields?.length ?? 0) + 4,
      fieldSize: opts.maxFieldBytes ?? 256 * 1024,
      parts: opts.fileFields.length + (opts.textFields?.length ?? 0) + 4,
      headerPairs: 100,
    },
  };
  const upload = multer(options).fields(opts.fileFields.map((name) => ({ name, maxCount: 1 })));
  return new Promise<ParsedUpload>((resolve, reject) => {
    upload(req, res, (err: unknown) => {
      if (err) return reject(translate(err, opts));
      const raw = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      const files: Record<string, UploadedPart> = {};
      for (const [field, list] of Object.entries(raw)) {
        if (list[0]) files[field] = { field, originalName: list[0].originalname, buffer: list[0].buffer };
      }
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
        if (typeof v === 'string' && (!opts.textFields || opts.textFields.includes(k))) fields[k] = v;
      }
      resolve({ files, fields });
    });
  });
}

function translate(err: unknown, opts: { fileFields: string[]; maxFileBytes: number }): ApplicationException {
  if (err instanceof multer.MulterError) {
    switch (err.code) {
      case 'LIMIT_FILE_SIZE':
        return new ApplicationException(
          ErrorCode.PayloadTooLarge,
          `The file${err.field ? ` "${err.field}"` : ''} is larger than the ${formatBytes(opts.maxFileBytes)} limit; leave out dependencies and build output (node_modules, venv, dist) and try again`,
          {
            limitBytes: opts.maxFileBytes,
            field: err.field ?? null,
          },
        );
      case 'LIMIT_UNEXPECTED_FILE':
        return badRequest(
          `Unexpected file field "${err.field}"; expected ${opts.fileFields.map((f) => `"${f}"`).join(', ')} (one file each)`,
        );
      case 'LIMIT_FILE_COUNT':
      case 'LIMIT_PART_COUNT':
      case 'LIMIT_FIELD_COUNT':
        return badRequest(`Too many parts in the upload; send ${opts.fileFields.map((f) => `"${f}"`).join(', ')} only`);
      case 'LIMIT_FIELD_VALUE':
        return new ApplicationException(ErrorCode.PayloadTooLarge, `The text field "${err.field}" is too long`);
      default:
        return badRequest(`The upload could not be read: ${err.message}`);
    }
  }
  return badRequest(`The upload could not be read: ${(err as Error)?.message ?? 'malformed multipart body'}`);
}
