import { DomainEvent } from '../decorators/domain-event.decorator.js';

/** Stored type name of {@link SubjectForgotten}. */
export const SUBJECT_FORGOTTEN = '$SubjectForgotten';

/** Stream each forget is recorded on, one per subject: `$subject-<subjectId>`. */
export const subjectStreamOf = (subjectId: string): string => `$subject-${subjectId}`;

/**
 * Appended once per subject when it is forgotten, after its key is destroyed. Projectors that copy
 * personal fields into their read models handle it (`@On(SubjectForgotten)`) to erase their copies;
 * a rebuild gets the placeholder anyway, since the key is gone.
 */
@DomainEvent(SUBJECT_FORGOTTEN)
export class SubjectForgotten {
  constructor(
    /** The person whose personal data is forgotten. */
    readonly subjectId: string,
    /** When the key was destroyed (ISO 8601). */
    readonly forgottenAt: string,
  ) {}
}
