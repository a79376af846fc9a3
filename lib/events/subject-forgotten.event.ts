import { DomainEvent } from '../decorators/domain-event.decorator.js';
import { SUBJECT_FORGOTTEN } from '../event-store/forget-subject.js';

/**
 * Recorded once per subject when it is forgotten, after its key is destroyed, on the stream
 * `$subject-<subjectId>`. Projectors that copy personal fields into their read models handle it
 * (`@On(SubjectForgotten)`) to erase their copies; a rebuild reads the placeholder anyway.
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
