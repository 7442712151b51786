// Realistic stack-file mistakes, one edit of a shipped stack file each, grouped by the stack-file
// section they belong to. bad-input.test.ts runs every one through `taskstack plan` and holds it
// to its exact message (expected.json, reviewed line by line when a message changes).

/** One mistake: `edits` replace text of stacks/Pulumi.<stack>.yaml (each `from` occurs once). */
export interface BadInput {
  readonly title: string;
  readonly stack: "dev" | "prod";
  readonly edits: readonly (readonly [from: string, to: string])[];
}

export const sections: Readonly<Record<string, readonly BadInput[]>> = {
  file: [
    {
      title: "keys written without the config: wrapper",
      stack: "dev",
      edits: [["config:\n", ""]],
    },
    {
      title: "a namespace typo: gpc:region",
      stack: "dev",
      edits: [["  gcp:region: europe-west1\n", "  gpc:region: europe-west1\n"]],
    },
    {
      title: "a namespace typo: taskstak:gcp",
      stack: "dev",
      edits: [["  taskstack:gcp:\n", "  taskstak:gcp:\n"]],
    },
    {
      title: "no taskstack:gcp at all",
      stack: "prod",
      edits: [
        [
          "  taskstack:gcp:\n    project: acme-shop-prod\n    region: europe-west1\n    labels:\n      team: commerce-platform\n      cost-center: cc-4120\n",
          "",
        ],
      ],
    },
    {
      title: "an environment name that is not one of ours",
      stack: "dev",
      edits: [["taskstack:environment: dev", "taskstack:environment: development"]],
    },
    {
      title: "gcp:project differs from taskstack:gcp.project",
      stack: "prod",
      edits: [["  gcp:project: acme-shop-prod\n", "  gcp:project: acme-shop-staging\n"]],
    },
    {
      title: "a section name misspelt",
      stack: "dev",
      edits: [["  taskstack:messaging:\n", "  taskstack:messages:\n"]],
    },
    {
      title: "deletion protection off in prod",
      stack: "prod",
      edits: [["taskstack:deletionProtection: true", "taskstack:deletionProtection: false"]],
    },
    {
      title: "deletionProtection as a string",
      stack: "dev",
      edits: [["taskstack:deletionProtection: false", 'taskstack:deletionProtection: "no"']],
    },
    {
      title: "a region with a zone suffix",
      stack: "dev",
      edits: [
        [
          "    project: acme-shop-dev\n    region: europe-west1\n",
          "    project: acme-shop-dev\n    region: europe-west1-b\n",
        ],
      ],
    },
    {
      title: "a tab-indented line (invalid YAML)",
      stack: "dev",
      edits: [["  taskstack:environment: dev\n", "\ttaskstack:environment: dev\n"]],
    },
  ],
  monitoring: [
    {
      title: "an email without a domain",
      stack: "prod",
      edits: [["email: commerce-oncall@acme-shop.example", "email: commerce-oncall"]],
    },
    {
      title: "two channels with one name",
      stack: "prod",
      edits: [["      - name: platform-oncall\n", "      - name: commerce-oncall\n"]],
    },
    {
      title: "a Slack channel without its #",
      stack: "prod",
      edits: [['channelName: "#commerce-alerts"', "channelName: commerce-alerts"]],
    },
    {
      title: "a PagerDuty key left out",
      stack: "prod",
      edits: [
        [
          "        serviceKey:\n          secure: v1:Vx5kq0m1Hn2c9Fa3:Zb2xq1Q9mF0y8cW7vT3sR5pL2kJ4hG6dN8aE1uY0iO3wQ==\n",
          "",
        ],
      ],
    },
    {
      title: "prod without any alert channel",
      stack: "prod",
      edits: [
        [
          `    notificationChannels:
      - name: commerce-oncall
        email: commerce-oncall@acme-shop.example
      - name: platform-oncall
        email: platform-oncall@acme-shop.example
    pagerDuty:
      - name: commerce-pager
        serviceKey:
          secure: v1:Vx5kq0m1Hn2c9Fa3:Zb2xq1Q9mF0y8cW7vT3sR5pL2kJ4hG6dN8aE1uY0iO3wQ==
    slack:
      - name: commerce-alerts
        channelName: "#commerce-alerts"
        authToken:
          secure: v1:R2p8sL4dQ0w9Hk1e:Jm3nB7vC5xZ1aS9dF2gH4jK6lQ8wE0rT3yU5iO7pA==
`,
          "    notificationChannels: []\n",
        ],
      ],
    },
    {
      title: "a backlog alert threshold in minutes",
      stack: "prod",
      edits: [["subscriptionBacklogAlertSeconds: 900", 'subscriptionBacklogAlertSeconds: "15m"']],
    },
    {
      title: "a misspelt key under a channel",
      stack: "prod",
      edits: [
        [
          "        email: platform-oncall@acme-shop.example",
          "        mail: platform-oncall@acme-shop.example",
        ],
      ],
    },
    {
      title: "a channel name with capitals",
      stack: "prod",
      edits: [["      - name: commerce-oncall\n", "      - name: Commerce-Oncall\n"]],
    },
    {
      title: "notificationChannels as a mapping",
      stack: "dev",
      edits: [
        [
          "      - name: commerce-dev\n        email: commerce-dev@acme-shop.example\n",
          "      name: commerce-dev\n      email: commerce-dev@acme-shop.example\n",
        ],
      ],
    },
    {
      title: "a Slack token given as a number",
      stack: "prod",
      edits: [
        [
          "        authToken:\n          secure: v1:R2p8sL4dQ0w9Hk1e:Jm3nB7vC5xZ1aS9dF2gH4jK6lQ8wE0rT3yU5iO7pA==\n",
          "        authToken: 12345\n",
        ],
      ],
    },
  ],
  messaging: [
    {
      title: "an ack deadline under the service's 10 s",
      stack: "prod",
      edits: [["            ackDeadlineSeconds: 120\n", "            ackDeadlineSeconds: 5\n"]],
    },
    {
      title: "maxDeliveryAttempts misspelt",
      stack: "prod",
      edits: [["            maxDeliveryAttempts: 10\n", "            maxDeliveryAtempts: 10\n"]],
    },
    {
      title: "maxDeliveryAttempts above the service's 100",
      stack: "prod",
      edits: [["            maxDeliveryAttempts: 20\n", "            maxDeliveryAttempts: 200\n"]],
    },
    {
      title: "a push endpoint over http",
      stack: "prod",
      edits: [["pushEndpoint: https://invoicing", "pushEndpoint: http://invoicing"]],
    },
    {
      title: "a publisher without its member type",
      stack: "prod",
      edits: [["          - serviceAccount:payments-api@", "          - payments-api@"]],
    },
    {
      title: "two topics with one name",
      stack: "prod",
      edits: [["      - name: payment-events\n", "      - name: order-events\n"]],
    },
    {
      title: "a queue with a 0.1 s backoff and no doublings (a retry storm)",
      stack: "prod",
      edits: [
        [
          "        minBackoffSeconds: 5\n        maxBackoffSeconds: 300\n",
          "        minBackoffSeconds: 0.1\n        maxBackoffSeconds: 0.1\n        maxDoublings: 0\n",
        ],
      ],
    },
    {
      title: "a subscription redelivering at once (minimumBackoffSeconds 0)",
      stack: "prod",
      edits: [
        [
          "            ackDeadlineSeconds: 300\n",
          "            ackDeadlineSeconds: 300\n            minimumBackoffSeconds: 0\n",
        ],
      ],
    },
    {
      title: "a queue without maxAttempts",
      stack: "prod",
      edits: [["        maxAttempts: 8\n", ""]],
    },
    {
      title: "a queue rate above the service's 500/s",
      stack: "prod",
      edits: [["        maxDispatchesPerSecond: 10\n", "        maxDispatchesPerSecond: 1000\n"]],
    },
    {
      title: "an unknown queue preset",
      stack: "prod",
      edits: [["preset: rate-limited-api", "preset: rate-limited"]],
    },
    {
      title: "minBackoffSeconds above maxBackoffSeconds",
      stack: "prod",
      edits: [["        minBackoffSeconds: 5\n", "        minBackoffSeconds: 500\n"]],
    },
  ],
  scheduling: [
    {
      title: "a cron with four fields",
      stack: "prod",
      edits: [['schedule: "30 1 * * *"', 'schedule: "30 1 * *"']],
    },
    {
      title: "an hour out of range",
      stack: "prod",
      edits: [['schedule: "30 1 * * *"', 'schedule: "30 25 * * *"']],
    },
    {
      title: "a time zone that does not exist",
      stack: "prod",
      edits: [
        [
          "        timeZone: Europe/Berlin\n        topic:",
          "        timeZone: Europe/Berlim\n        topic:",
        ],
      ],
    },
    {
      title: "retryCount above the service's 5",
      stack: "prod",
      edits: [["        retryCount: 5\n", "        retryCount: 10\n"]],
    },
    {
      title: "an attempt deadline above 30 minutes",
      stack: "prod",
      edits: [["attemptDeadlineSeconds: 900", "attemptDeadlineSeconds: 3600"]],
    },
    {
      title: "a job's minimum backoff above its maximum",
      stack: "prod",
      edits: [
        [
          "        minBackoffSeconds: 60\n",
          "        minBackoffSeconds: 60\n        maxBackoffSeconds: 30\n",
        ],
      ],
    },
    {
      title: "a job uri over http",
      stack: "prod",
      edits: [["uri: https://reports-", "uri: http://reports-"]],
    },
    {
      title: "two jobs with one name",
      stack: "prod",
      edits: [["      - name: weekly-sales-report\n", "      - name: nightly-settlement\n"]],
    },
    {
      title: "an imported cron.yaml that does not exist",
      stack: "dev",
      edits: [["file: legacy/cron.yaml", "file: legacy/crons.yaml"]],
    },
    {
      title: "an import target without its baseUrl",
      stack: "dev",
      edits: [
        [
          "          baseUrl: https://legacy-shop-4k7mfq2xba-ew.a.run.app\n          cloudRunService: legacy-shop\n    # Its",
          "          cloudRunService: legacy-shop\n    # Its",
        ],
      ],
    },
    {
      title: "an imported cron job's deadline above Cloud Scheduler's 30 minutes",
      stack: "dev",
      edits: [
        [
          "          cloudRunService: legacy-shop\n    # Its",
          "          cloudRunService: legacy-shop\n          attemptDeadlineSeconds: 3600\n    # Its",
        ],
      ],
    },
    {
      title: "a deadline for an imported cron job the file does not have",
      stack: "dev",
      edits: [
        [
          "          cloudRunService: legacy-shop\n    # Its",
          "          cloudRunService: legacy-shop\n      attemptDeadlineSeconds:\n        daily-summary: 1200\n    # Its",
        ],
      ],
    },
    {
      title: "an imported queue.yaml that does not exist",
      stack: "dev",
      edits: [["file: legacy/queue.yaml", "file: legacy/queues.yaml"]],
    },
    {
      title: "an imported queue.yaml named without .yaml",
      stack: "dev",
      edits: [["file: legacy/queue.yaml", "file: legacy/queue"]],
    },
    {
      title: "a queue import's invoker account from another project",
      stack: "dev",
      edits: [
        [
          "invokerServiceAccountEmail: legacy-tasks@acme-shop-dev.",
          "invokerServiceAccountEmail: legacy-tasks@acme-shop-prod.",
        ],
      ],
    },
    {
      title: "a queue import's enqueuers as one member, not a list",
      stack: "dev",
      edits: [
        [
          "      enqueuers:\n        - serviceAccount:legacy-shop@",
          "      enqueuers: serviceAccount:legacy-shop@",
        ],
      ],
    },
    {
      title: "a queue import's enqueuer without its member type",
      stack: "dev",
      edits: [["        - serviceAccount:legacy-shop@", "        - legacy-shop@"]],
    },
    {
      title: "a queue import key misspelt",
      stack: "dev",
      edits: [
        [
          "      enqueuers:\n        - serviceAccount:legacy-shop@",
          "      enqueuer:\n        - serviceAccount:legacy-shop@",
        ],
      ],
    },
    {
      title: "a job name with an underscore",
      stack: "prod",
      edits: [["      - name: weekly-sales-report\n", "      - name: weekly_sales_report\n"]],
    },
  ],
  spanner: [
    {
      title: "a backup time zone that does not exist",
      stack: "dev",
      edits: [["          timeZone: Europe/Paris\n", "          timeZone: Paris\n"]],
    },
    {
      title: "retention given in days under a made-up key",
      stack: "prod",
      edits: [
        [
          "              retentionSeconds: 1209600\n          # No sessionPoolAlerts",
          "              retentionDays: 14\n          # No sessionPoolAlerts",
        ],
      ],
    },
    {
      title: "a retention under the service's 6 hours",
      stack: "prod",
      edits: [
        [
          "              retentionSeconds: 1209600\n            - name: payments",
          "              retentionSeconds: 3600\n            - name: payments",
        ],
      ],
    },
    {
      title: "a retention above the service's 366 days",
      stack: "prod",
      edits: [
        [
          "              retentionSeconds: 1209600\n            - name: payments",
          "              retentionSeconds: 40000000\n            - name: payments",
        ],
      ],
    },
    {
      title: "a backup of a database the instance does not have",
      stack: "prod",
      edits: [
        [
          "            - name: payments\n              schedule",
          "            - name: payment\n              schedule",
        ],
      ],
    },
    {
      title: "a backup schedule with six fields",
      stack: "prod",
      edits: [
        [
          '              schedule: "0 2 * * *"\n              retentionSeconds: 1209600\n          # No sessionPoolAlerts',
          '              schedule: "0 0 2 * * *"\n              retentionSeconds: 1209600\n          # No sessionPoolAlerts',
        ],
      ],
    },
    {
      title: "an unknown backup mode",
      stack: "dev",
      edits: [["          mode: function\n", "          mode: cloud-function\n"]],
    },
    {
      title: "an instance name with capitals",
      stack: "prod",
      edits: [["      - name: commerce-prod\n", "      - name: Commerce-Prod\n"]],
    },
    {
      title: "databases as a single string",
      stack: "prod",
      edits: [["databases: [orders, payments]", "databases: orders"]],
    },
    {
      title: "a retention given as a string",
      stack: "prod",
      edits: [
        [
          "              retentionSeconds: 1209600\n          # No sessionPoolAlerts",
          '              retentionSeconds: "1209600"\n          # No sessionPoolAlerts',
        ],
      ],
    },
  ],
  kubernetes: [
    {
      title: "an even RabbitMQ replica count",
      stack: "prod",
      edits: [
        ["      replicas: 5\n      # What runs now", "      replicas: 4\n      # What runs now"],
      ],
    },
    {
      title: "shrinking a running RabbitMQ cluster",
      stack: "prod",
      edits: [
        ["      replicas: 5\n      # What runs now", "      replicas: 3\n      # What runs now"],
      ],
    },
    {
      title: "one RabbitMQ node in prod",
      stack: "prod",
      edits: [
        ["      replicas: 5\n      # What runs now", "      replicas: 1\n      # What runs now"],
        ["      deployedReplicas: 5\n", ""],
      ],
    },
    {
      title: "memory without a unit",
      stack: "prod",
      edits: [["      memory: 4Gi\n", "      memory: 4\n"]],
    },
    {
      title: "a dead-letter exchange the cluster does not declare",
      stack: "prod",
      edits: [
        [
          "          deadLetterExchange: celery-dead-letter\n          deadLetterRoutingKey: celery-dead-letter\n          deliveryLimit: 5",
          "          deadLetterExchange: celery-dlx\n          deadLetterRoutingKey: celery-dead-letter\n          deliveryLimit: 5",
        ],
      ],
    },
    {
      title: "a worker queue the broker does not declare",
      stack: "prod",
      edits: [
        [
          "          - name: celery-fast\n            taskTimeLimitSeconds: 60",
          "          - name: celery-quick\n            taskTimeLimitSeconds: 60",
        ],
      ],
    },
    {
      title: "an image without a tag",
      stack: "prod",
      edits: [
        [
          "        image: ghcr.io/acme-shop/shop-worker:2.3.0\n",
          "        image: ghcr.io/acme-shop/shop-worker\n",
        ],
      ],
    },
    {
      title: "a worker limit below its request",
      stack: "prod",
      edits: [
        [
          '              limits: { cpu: "1", memory: 1Gi }',
          '              limits: { cpu: "1", memory: 256Mi }',
        ],
      ],
    },
    {
      title: "a CronJob timeZone given as CRON_TZ in the schedule",
      stack: "prod",
      edits: [
        [
          '        schedule: "0 4 * * *"\n        timeZone: Europe/Paris\n',
          '        schedule: "CRON_TZ=Europe/Paris 0 4 * * *"\n',
        ],
      ],
    },
    {
      title: "a CronJob starting deadline as long as its interval",
      stack: "prod",
      edits: [
        ["        startingDeadlineSeconds: 300\n", "        startingDeadlineSeconds: 1800\n"],
      ],
    },
    {
      title: "a namespace with capitals",
      stack: "prod",
      edits: [["    namespace: tasks\n", "    namespace: Tasks\n"]],
    },
    {
      title: "a CronJob command as one string",
      stack: "prod",
      edits: [["command: [python, -m, reports.nightly]", 'command: "python -m reports.nightly"']],
    },
  ],
  aws: [
    {
      title: "no aws:region (would plan as us-east-1)",
      stack: "prod",
      edits: [["  aws:region: eu-west-1\n", ""]],
    },
    {
      title: "dnsValidation: registrar (the mode is external)",
      stack: "prod",
      edits: [["dnsValidation: cloud-dns", "dnsValidation: registrar"]],
    },
    {
      title: "an alias outside the domain",
      stack: "prod",
      edits: [
        [
          "aliases: [www.acme-shop.example, acme-shop.example]",
          "aliases: [www.acme-shop.example, shop.example]",
        ],
      ],
    },
    {
      title: "cloud-dns without its managed zone",
      stack: "prod",
      edits: [["      cloudDnsManagedZone: acme-shop-example\n", ""]],
    },
    {
      title: "the apex as a cloud-dns alias without externalAliasRecords",
      stack: "prod",
      edits: [["      externalAliasRecords: [acme-shop.example]\n", ""]],
    },
    {
      title: "an unknown price class",
      stack: "prod",
      edits: [["priceClass: PriceClass_100", "priceClass: PriceClass_50"]],
    },
    {
      title: "a domain with a trailing dot",
      stack: "prod",
      edits: [["domainName: acme-shop.example", "domainName: acme-shop.example."]],
    },
    {
      title: "a log bucket ownership CloudFront cannot write to",
      stack: "prod",
      edits: [["objectOwnership: BucketOwnerPreferred", "objectOwnership: BucketOwnerEnforced"]],
    },
    {
      title: "versioning off in prod",
      stack: "prod",
      edits: [["      spaFallback: true\n", "      spaFallback: true\n      versioning: false\n"]],
    },
    {
      title: "a route53ZoneId with cloud-dns",
      stack: "prod",
      edits: [
        [
          "      cloudDnsManagedZone: acme-shop-example\n",
          "      cloudDnsManagedZone: acme-shop-example\n      route53ZoneId: Z0123456789ABCDEFGHIJ\n",
        ],
      ],
    },
    {
      title: "aliases as one string",
      stack: "prod",
      edits: [
        ["aliases: [www.acme-shop.example, acme-shop.example]", 'aliases: "www.acme-shop.example"'],
      ],
    },
  ],
};
