// The shape of the hand-written corpus: small Pulumi programs written the ways platform teams
// write them (not with taskstack's components), each resource either good (no policy may flag it)
// or bad, labelled with the policy that must catch it.

export interface Scenario {
  /** What the program shows, e.g. "Pub/Sub dead-lettering through .id". */
  readonly title: string;
  /** Stack config for the run (`aws:region`, `gcp:project`...), as a stack file would set it. */
  readonly config?: Readonly<Record<string, string>>;
  readonly program: () => void;
  /** Logical name → the policy that must report it. Every other custom resource is good. */
  readonly bad?: Readonly<Record<string, string>>;
}

export const gcpConfig = { "gcp:project": "corpus-prod", "gcp:region": "europe-west1" } as const;
export const awsConfig = { "aws:region": "eu-west-1" } as const;
