// The simulator's model version, recorded in every shared link (`m=`).
//
// Bump MODEL_VERSION by one in the same commit as any change that makes `simulate()` give a different run for
// the same scenario text and kernel: an event added, removed, split or reordered (a per-CPU batch reference,
// a new fault path), or different counters at some step. A link names its moment by statement and event, so it
// still lands on the same moment; the model version and the link's fingerprint of the counters on screen let
// the explorer say plainly when the picture there is no longer what was sent. Changes to wording, layout or
// views alone do not count. List each bump in docs/model.md ("Model versions").
export const MODEL_VERSION = 1;
