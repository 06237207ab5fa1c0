/**
 * Meeting mode as a ReactiveController: whether this person presents, whom
 * they follow, which presenter's offer they dismissed, and when the meeting
 * began. Everything shared goes through awareness (board-presence.ts);
 * nothing is stored but the time of the last meeting on this device
 * (last-meeting.ts), written when a meeting ends here.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { findPresenter, type Peer } from './board-presence.ts';
import { rememberMeeting } from './last-meeting.ts';

export class BoardMeeting implements ReactiveController {
  presenting = false;
  followingClientId: number | null = null;
  dismissedClientId: number | null = null;
  private startedAt: Date | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly peers: () => readonly Peer[],
    private readonly pipelineId: () => string | null,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.presenting = false;
    this.followingClientId = null;
    this.end();
  }

  /** The presenter being followed, while they still present. */
  get followed(): Peer | null {
    if (this.followingClientId === null) return null;
    return this.peers().find((p) => p.clientId === this.followingClientId && p.presenting) ?? null;
  }

  /** A presenter to offer following, unless this person presents, follows, or dismissed that offer. */
  offer(selfUserId: string): Peer | null {
    if (this.presenting || this.followingClientId !== null) return null;
    const presenter = findPresenter(this.peers(), selfUserId);
    return presenter && presenter.clientId !== this.dismissedClientId ? presenter : null;
  }

  /** Call on every update: true when the followed presenter has just gone (left or stopped presenting). */
  checkFollowed(): boolean {
    if (this.followingClientId === null || this.followed) return false;
    this.followingClientId = null;
    this.end();
    return true;
  }

  present(): void {
    this.presenting = true;
    this.followingClientId = null;
    this.startedAt ??= new Date();
    this.host.requestUpdate();
  }

  stopPresenting(): void {
    this.presenting = false;
    this.end();
    this.host.requestUpdate();
  }

  follow(peer: Peer): void {
    this.followingClientId = peer.clientId;
    this.startedAt ??= new Date();
    this.host.requestUpdate();
  }

  stopFollowing(): void {
    const presenter = this.followed;
    this.followingClientId = null;
    if (presenter) this.dismissedClientId = presenter.clientId;
    this.end();
    this.host.requestUpdate();
  }

  dismiss(peer: Peer): void {
    this.dismissedClientId = peer.clientId;
    this.host.requestUpdate();
  }

  /** A meeting that ran here becomes "the last meeting" for the changes view. */
  private end(): void {
    const pipelineId = this.pipelineId();
    if (this.startedAt && pipelineId && !this.presenting && this.followingClientId === null) {
      rememberMeeting(pipelineId, this.startedAt);
      this.startedAt = null;
    }
  }
}
