/**
 * Whether a review's packet (and its invitation) must hide who the candidate is. The reviews
 * module asks; the scorecards module answers (anonymous review until the reviewer filed their
 * scorecard) by providing PACKET_ANONYMITY. Without a provider, nothing is anonymous.
 */
export const PACKET_ANONYMITY = Symbol('PACKET_ANONYMITY');

export interface PacketAnonymity {
  isAnonymous(review: { id: string; reviewerId: string }, openingId: string): Promise<boolean>;
}
