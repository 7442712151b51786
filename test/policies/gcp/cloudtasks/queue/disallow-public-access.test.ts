import { describe, expect, it } from "vitest";
import { gcpCloudtasksQueueDisallowPublicAccess as policy } from "../../../../../policies/gcp/cloudtasks/queue/disallow-public-access";
import { fixtureResource, fixtureUrn, policyCases } from "../../../../../testing";
import { compliantQueue } from "./fixture";

const MEMBER = "gcp:cloudtasks/queueIamMember:QueueIamMember";
const BINDING = "gcp:cloudtasks/queueIamBinding:QueueIamBinding";
const POLICY = "gcp:cloudtasks/queueIamPolicy:QueueIamPolicy";
const producer = "serviceAccount:api@taskstack-prod.iam.gserviceaccount.com";
const enqueuer = "roles/cloudtasks.enqueuer";

/** The compliant queue and a grant of the enqueuer role to its producer's service account. */
const fixture = () => [
  ...compliantQueue(),
  fixtureResource(MEMBER, "partner-api-enqueuer", {
    name: "partner-api",
    location: "europe-west1",
    role: enqueuer,
    member: producer,
  }),
];

const message = (member: string, role = enqueuer) =>
  `Grants ${role} on queue partner-api to ${member}, so anyone${member === "allAuthenticatedUsers" ? " with a Google account" : ""} can enqueue tasks that run with the queue's identity. Grant roles/cloudtasks.enqueuer to the producers' service accounts instead.`;

describe(policy.name, () => {
  it("is named for the resource type path, mandatory and critical", () => {
    expect(policy.name).toBe("gcp-cloudtasks-queue-disallow-public-access");
    expect(policy.enforcementLevel).toBe("mandatory");
    expect(policy.severity).toBe("critical");
  });

  it.each(
    policyCases(policy, {
      fixture,
      target: "partner-api-enqueuer",
      cases: [
        {
          title: "a member grant to allUsers",
          set: { member: "allUsers" },
          messages: [message("allUsers")],
        },
        {
          title: "a grant to allUsers that names no queue (one space, not two)",
          set: { member: "allUsers", name: undefined },
          messages: [
            "Grants roles/cloudtasks.enqueuer on the queue to allUsers, so anyone can enqueue tasks that run with the queue's identity. Grant roles/cloudtasks.enqueuer to the producers' service accounts instead.",
          ],
        },
        {
          title: "a member grant to allAuthenticatedUsers",
          set: { member: "allAuthenticatedUsers" },
          messages: [message("allAuthenticatedUsers")],
        },
        {
          title: "a public grant of another role",
          set: { member: "allUsers", role: "roles/cloudtasks.viewer" },
          messages: [message("allUsers", "roles/cloudtasks.viewer")],
        },
        {
          title: "a binding naming both public members among others",
          change: (rs) => [
            ...rs,
            fixtureResource(BINDING, "partner-api-enqueuers", {
              name: "partner-api",
              location: "europe-west1",
              role: enqueuer,
              members: [producer, "allUsers", "allAuthenticatedUsers"],
            }),
          ],
          urn: fixtureUrn(BINDING, "partner-api-enqueuers"),
          messages: [message("allUsers"), message("allAuthenticatedUsers")],
        },
        {
          title: "a policy whose bindings name allUsers",
          change: (rs) => [
            ...rs,
            fixtureResource(POLICY, "partner-api-policy", {
              name: "partner-api",
              location: "europe-west1",
              policyData: JSON.stringify({
                bindings: [
                  { role: "roles/cloudtasks.viewer", members: [producer] },
                  { role: enqueuer, members: ["allUsers"] },
                ],
              }),
            }),
          ],
          urn: fixtureUrn(POLICY, "partner-api-policy"),
          messages: [message("allUsers")],
        },
        {
          title: "member undefined",
          set: { member: undefined },
          messages: [],
        },
        {
          title: "a binding and a policy granting only service accounts",
          change: (rs) => [
            ...rs,
            fixtureResource(BINDING, "partner-api-enqueuers", {
              name: "partner-api",
              location: "europe-west1",
              role: enqueuer,
              members: [producer, "group:producers@example.com"],
            }),
            fixtureResource(POLICY, "partner-api-policy", {
              name: "partner-api",
              location: "europe-west1",
              policyData: JSON.stringify({ bindings: [{ role: enqueuer, members: [producer] }] }),
            }),
          ],
          messages: [],
        },
        {
          title: "a member that only mentions allUsers in its email",
          set: { member: "user:allUsers@example.com" },
          messages: [],
        },
      ],
    }),
  )("$title", async (c) => {
    await expect(c.run()).resolves.toBeUndefined();
  });
});
