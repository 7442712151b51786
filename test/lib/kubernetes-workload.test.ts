import { describe, expect, it } from "vitest";
import {
  argLooksSecret,
  hasCredentialsUrl,
  looksSecret,
  memoryQuantity,
  quantityBytes,
  quantityValue,
  serviceAccountSettings,
} from "../../lib/kubernetes-workload";

describe("quantities", () => {
  it.each<[string, number | undefined]>([
    ["256Mi", 256 * 2 ** 20],
    ["1.5Gi", 1.5 * 2 ** 30],
    ["2Ti", 2 * 2 ** 40],
    ["1Pi", 2 ** 50],
    ["500k", 500_000],
    ["512M", 512_000_000],
    ["1G", 1e9],
    ["1E", 1e18],
    ["1073741824", 1073741824],
    // Kubernetes' decimal kilo is lowercase: `K` is no suffix, nor are `KB` or `Kib`.
    ["500K", undefined],
    ["2GB", undefined],
    ["1Kib", undefined],
    ["-1Gi", undefined],
    ["", undefined],
  ])("quantityBytes(%j) is %j, and memoryQuantity agrees", (text, bytes) => {
    expect(quantityBytes(text)).toBe(bytes);
    expect(memoryQuantity.safeParse(text).success).toBe(bytes !== undefined);
  });

  it.each<[string, number]>([
    ["250m", 0.25],
    ["0.5", 0.5],
    ["2", 2],
    ["500k", 500_000],
    ["128Mi", 128 * 2 ** 20],
  ])("quantityValue(%j) is %j", (text, value) => {
    expect(quantityValue(text)).toBeCloseTo(value, 9);
  });
});

describe("secret heuristics", () => {
  it.each<[string, string, boolean]>([
    ["DB_PASSWORD", "hunter2", true],
    ["api-key", "k", true],
    ["CELERY_BROKER_URL", "amqp://shop:s3cret@rabbitmq:5672/", true],
    ["REDIS_URL", "redis://:s3cret@redis:6379/0", true],
    ["SETTINGS", "DEBUG = False\nBROKER = 'amqp://shop:s3cret@rabbitmq/'\n", true],
    ["CELERY_BROKER_URL", "amqp://rabbitmq:5672/", false],
    ["LOG_LEVEL", "info", false],
    ["WORKER", "fast@%h", false],
  ])("looksSecret(%j, %j) is %j", (name, value, secret) => {
    expect(looksSecret(name, value)).toBe(secret);
  });

  it.each<[string, boolean]>([
    ["--password=hunter2", true],
    ["--db-password=hunter2", true],
    ["-Dspring.datasource.password=hunter2", true],
    ["API_TOKEN=t0k3n", true],
    ["--broker=amqp://shop:s3cret@rabbitmq:5672/", true],
    ["pg_dump postgres://backup:hunter2@db/shop > /tmp/dump", true],
    ["export DB_PASSWORD='hunter2' && ./run", true],
    // References and paths are not secrets: the kubelet expands $(NAME) from a Secret.
    ["--password=$(DB_PASSWORD)", false],
    ['--token="${API_TOKEN}"', false],
    ["--password-file=/run/secrets/db", false],
    ["--password=", false],
    ["--batch-size=500", false],
    ["--hostname=fast@%h", false],
    ["cp /run/rabbitmq-cookie/.erlang.cookie /var/lib/rabbitmq/.erlang.cookie", false],
    ["https://example.com/a@b", false],
  ])("argLooksSecret(%j) is %j", (arg, secret) => {
    expect(argLooksSecret(arg)).toBe(secret);
  });

  it("finds a URL with credentials in the middle of a text only", () => {
    expect(hasCredentialsUrl("x amqp://u:p@h y")).toBe(true);
    expect(hasCredentialsUrl("mailto:ops@example.com")).toBe(false);
  });
});

describe("serviceAccountSettings", () => {
  it("keeps the default account's token out of the pod, and a named account's setting as it is", () => {
    expect(serviceAccountSettings(undefined)).toEqual({ automountServiceAccountToken: false });
    expect(serviceAccountSettings("backup")).toEqual({ serviceAccountName: "backup" });
  });
});
