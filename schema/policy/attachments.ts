/**
 * Who may do what with an attachment. An attachment follows its parent record: whoever may read
 * the parent lists and downloads its files, whoever may write it uploads them (the parent's rule
 * comes from `can()` in access.ts, asked by the caller). Archiving also asks who uploaded it: the
 * uploader, or a manager or admin of the team — a rep does not remove a colleague's file.
 */
import { type Actor, isManagerOrAdmin, seesTeam } from './access.ts';

export interface AttachmentResource {
  teamId: string;
  uploadedBy: string | null;
}

/** Archive an attachment of a parent the actor may write (`parentWritable`, from `can(actor, 'write', parent)`). */
export function mayArchiveAttachment(actor: Actor, attachment: AttachmentResource, parentWritable: boolean): boolean {
  if (!parentWritable || !seesTeam(actor, attachment.teamId)) return false;
  return isManagerOrAdmin(actor) || (attachment.uploadedBy !== null && attachment.uploadedBy === actor.id);
}
