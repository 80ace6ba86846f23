#!/usr/bin/env python3
"""The cost of `drift check --live` on a large account, against moto's IAM server.

Seeds a fresh moto_server on a loopback port with 2,000 users (one SSH key each),
2,000 roles and 1,000 instance profiles, writes a baseline with `drift init
--live`, then runs `drift check --live --stats` and prints API calls by
operation, wall time and peak memory.

    cargo build --release && python3 benches/live.py [path/to/drift]
"""
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time

import boto3

USERS, ROLES, PROFILES = 2000, 2000, 1000
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DRIFT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "drift")
KEY = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDHs0rJ2Y6Zz2n0YB2bZ6mG1Y9x3iXq2a7cQ0Qm8uBvJ2kSy7yKf1qg8R0fH9bZl0"
       "X2n5vM3cT4wE6sD8aB1cF7gH9iJ0kL2mN4oP6qR8sT0uV2wX4yZ6aB8cD0eF2gH4iJ6kL8mN0oP2qR4sT6uV8wX0yZ2aB4cD6eF8gH0i"
       "J2kL4mN6oP8qR0sT2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2oP4qR6sT8uV0wX2yZ4aB6cD8eF0gH2iJ4kL6mN8oP0qR2sT4uV6wX8y bench")
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("moto_server did not start")
                time.sleep(0.1)
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        started = time.time()
        iam.update_account_password_policy(MinimumPasswordLength=14, RequireSymbols=True)
        for i in range(USERS):
            iam.create_user(UserName=f"user-{i:04d}", Path="/bench/")
            iam.upload_ssh_public_key(UserName=f"user-{i:04d}", SSHPublicKeyBody=KEY)
        for i in range(ROLES):
            iam.create_role(RoleName=f"role-{i:04d}", AssumeRolePolicyDocument=TRUST)
        for i in range(PROFILES):
            iam.create_instance_profile(InstanceProfileName=f"profile-{i:04d}")
            iam.add_role_to_instance_profile(InstanceProfileName=f"profile-{i:04d}", RoleName=f"role-{i:04d}")
        print(f"seeded {USERS} users (one SSH key each), {ROLES} roles, {PROFILES} instance profiles "
              f"in {time.time() - started:.1f}s")

        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1",
                   AWS_EC2_METADATA_DISABLED="true", NO_COLOR="1")
        with tempfile.TemporaryDirectory() as tmp:
            env.update(AWS_CONFIG_FILE=os.path.join(tmp, "none"), AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "none"))
            baseline = os.path.join(tmp, "baseline.yaml")
            subprocess.run([DRIFT, "init", "--live", "--endpoint-url", endpoint, "--output", baseline],
                           env=env, check=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            t = time.time()
            run = subprocess.run([DRIFT, "check", "--live", "--stats", "--endpoint-url", endpoint,
                                  "--baseline", baseline, "--format", "json"],
                                 env=env, capture_output=True, text=True)
            wall = time.time() - t
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if run.returncode != 0:
            raise SystemExit(f"drift check failed ({run.returncode}): {run.stderr}")
        findings = len(json.loads(run.stdout)["findings"])
        print(run.stderr.strip())
        entities = USERS + ROLES + PROFILES
        print(f"findings: {findings}")
        print(f"wall time: {wall:.2f}s")
        print(f"peak memory: {max(peak, before) / 1024:.0f} MB (largest child so far)")
        print(f"bound: ceil(entities / 1000) = {-(-entities // 1000)} pages + {USERS} SSH-key calls + a small constant")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
