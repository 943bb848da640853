import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { notFound } from '../common/errors/application.exception';
import { SearchScope } from '../candidates/candidate-search.service';
import { RESUME_CONTENT_TYPES, ResumeKind } from './domain/resume-sniff';

export interface StoredResume {
  id: string;
  candidateId: string;
  applicationId: string | null;
  fileName: string;
  kind: ResumeKind;
  contentType: string;
  bytes: Buffer;
}

/** The `resumes` table: written by an application, read by staff downloads (scoped by hiring team). */
@Injectable()
export class ResumesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async store(
    m: EntityManager,
    r: { candidateId: string; applicationId: string; fileName: string; contentType: string; bytes: Buffer; text: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO resumes (candidate_id, application_id, original_filename, content_type, bytes, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.candidateId, r.applicationId, r.fileName, r.contentType, r.bytes, r.text, this.clock.now()],
    );
  }

  /**
   * The résumé to show for an application (the one sent with it, else the candidate's latest sent
   * with another application the viewer may see) or for a candidate (their latest the viewer may
   * see). `scope.openingIds`: the viewer's openings (null: all). 404 when there is none.
   */
  async latest(where: { applicationId: string } | { candidateId: string }, scope: SearchScope, withBytes = true): Promise<StoredResume> {
    const params: unknown[] = [];
    let cond: string;
    let order = 'r.created_at DESC, r.id';
    if ('applicationId' in where) {
      params.push(where.applicationId);
      cond = `r.candidate_id = (SELECT candidate_id FROM applications WHERE id = $1)`;
      order = `(r.application_id = $1) DESC NULLS LAST, ${order}`;
    } else {
      params.push(where.candidateId);
      cond = `r.candidate_id = $1`;
    }
    if (scope.openingIds) {
      params.push(scope.openingIds);
      cond += ` AND a.opening_id = ANY($${params.length}::uuid[])`;
    }
    const [row] = await this.ds.query(
      `SELECT r.id, r.candidate_id, r.application_id, r.original_filename, r.content_type, ${withBytes ? 'r.bytes' : 'octet_length(r.bytes) AS size'}
       FROM resumes r LEFT JOIN applications a ON a.id = r.application_id
       JOIN candidates c ON c.id = r.candidate_id AND c.anonymized_at IS NULL
       WHERE ${cond} ORDER BY ${order} LIMIT 1`,
      params,
    );
    if (!row || (withBytes ? !row.bytes?.length : !Number(row.size))) throw notFound('Résumé');
    // The stored type is re-derived from the known kinds: never echo an arbitrary stored string.
    const kind: ResumeKind = row.content_type === RESUME_CONTENT_TYPES.docx ? 'docx' : 'pdf';
    return {
      id: row.id,
      candidateId: row.candidate_id,
      applicationId: row.application_id,
      fileName: row.original_filename,
      kind,
      contentType: RESUME_CONTENT_TYPES[kind],
      bytes: withBytes ? row.bytes : Buffer.alloc(0),
    };
  }

  /** Whether a résumé exists that the viewer may download (for the page's link). */
  async has(where: { applicationId: string } | { candidateId: string }, scope: SearchScope): Promise<boolean> {
    return this.latest(where, scope, false).then(
      () => true,
      () => false,
    );
  }
}
