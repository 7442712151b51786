"""taskstack's components used from a Python program, through the Python SDK that Pulumi's own
code generator writes from the schema the `taskstack` plugin serves (scripts/python-program.sh).
The same components with the same args as scripts/component-provider/program.ts's programs, so
the children the plugin declares are held against the offline plan of those components declared
in TypeScript (scripts/component-provider/compare.ts).
"""

import os

import pulumi
import pulumi_kubernetes as k8s
import pulumi_taskstack as taskstack

PROJECT = "remote-components-ci"
PROJECT_NUMBER = "123456789012"
REGION = "europe-west1"


def program() -> None:
    taskstack.ProjectApis(
        "apis",
        project=PROJECT,
        apis=[taskstack.GcpApi.PUBSUB, taskstack.GcpApi.CLOUD_SCHEDULER],
    )
    orders = taskstack.PubSubTopic(
        "orders",
        project=PROJECT,
        project_number=PROJECT_NUMBER,
        topic_name="orders",
        allowed_persistence_regions=[REGION],
        labels={"team": "checkout"},
        subscriptions=[
            taskstack.PubSubSubscriptionArgs(
                name="fulfilment", ack_deadline_seconds=120, max_delivery_attempts=10
            )
        ],
    )
    taskstack.CloudSchedulerJob(
        "nightly",
        project=PROJECT,
        region=REGION,
        job_name="nightly-orders",
        schedule="0 3 * * *",
        time_zone="Europe/Paris",
        topic=orders.topic_id,
        data="reconcile",
    )
    # An enum, a map of named objects and nested requests and limits across the plugin boundary,
    # and an explicit provider (rendering YAML instead of calling a cluster) given to the component.
    render = k8s.Provider(
        "render",
        render_yaml_to_directory=os.environ.get(
            "TASKSTACK_RENDER_DIR", "out/component-provider/rendered"
        ),
    )
    taskstack.KubernetesCronJob(
        "reports",
        namespace="jobs",
        schedule="30 4 * * *",
        time_zone="Europe/Paris",
        image="ghcr.io/acme-shop/reports:3.8.1",
        command=["python", "-m", "reports.nightly"],
        secret_env={
            "DB_PASSWORD": taskstack.SecretKeyRefArgs(name="reports-db", key="password")
        },
        concurrency_policy=taskstack.ConcurrencyPolicy.REPLACE,
        resources=taskstack.ContainerResourcesArgs(
            requests=taskstack.ResourceQuantitiesArgs(cpu="100m", memory="128Mi"),
            limits=taskstack.ResourceQuantitiesArgs(cpu="500m", memory="256Mi"),
        ),
        opts=pulumi.ResourceOptions(providers={"kubernetes": render}),
    )
    pulumi.export("topicId", orders.topic_id)
