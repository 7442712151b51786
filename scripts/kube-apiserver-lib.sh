# Sourced by scripts/kube-apiserver-check.sh and scripts/kube-apiserver-up.sh: starts a real etcd
# and kube-apiserver (built by scripts/kube-tools.sh) on 127.0.0.1 only, on free ports, with
# certificates made for this run, and stops them however the calling script ends.
#
# kube_apiserver_start sets:
#   kube_bin     the folder of kube-apiserver, kubectl and taskstack-etcd
#   kube_work    this run's folder (certificates, etcd data, logs); removed on exit
#   KUBECONFIG   (exported) an admin kubeconfig (group system:masters) for the server
#   kubectl      an array: the matching kubectl
# It installs an EXIT trap; a caller that needs its own cleanup adds it to kube_cleanup.

kube_cleanup=()
kube_pids=()

kube_apiserver_stop() {
  local i pid
  # The API server first, then etcd under it; each by the id it was started with.
  for ((i = ${#kube_pids[@]} - 1; i >= 0; i--)); do
    pid="${kube_pids[i]}"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for c in "${kube_cleanup[@]}"; do eval "$c" || true; done
  [[ -z "${kube_work:-}" ]] || rm -rf "$kube_work"
}

kube_apiserver_start() {
  local repo_root ports etcd_port peer_port api_port pki started pid
  repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  kube_bin="$(bash "$repo_root/scripts/kube-tools.sh")"
  kube_work="$(mktemp -d "${TMPDIR:-/tmp}/taskstack-kube.XXXXXX")"
  trap kube_apiserver_stop EXIT
  trap 'exit 130' INT TERM

  # Free loopback ports, chosen by the kernel.
  ports="$(node -e '
    const net = require("node:net");
    const one = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
    (async () => console.log((await Promise.all([one(), one(), one()])).join(" ")))();
  ')"
  read -r etcd_port peer_port api_port <<< "$ports"

  # Certificates for this run only: a CA, the server's certificate for 127.0.0.1, an admin client
  # certificate (group system:masters), and the service-account signing key. P-256 keys: quick to
  # make, and every part here speaks them.
  pki="$kube_work/pki"
  mkdir -p "$pki"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  openssl req -x509 "${ec[@]}" -keyout "$pki/ca.key" -out "$pki/ca.crt" -days 2 \
    -subj /CN=taskstack-check-ca 2>/dev/null
  kube_sign() { # name subject extensions
    openssl req "${ec[@]}" -keyout "$pki/$1.key" -out "$pki/$1.csr" -subj "$2" 2>/dev/null
    openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
      -days 2 -out "$pki/$1.crt" -extfile <(printf '%s\n' "$3") 2>/dev/null
  }
  kube_sign server /CN=kube-apiserver $'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'
  kube_sign admin "/O=system:masters/CN=taskstack-check" 'extendedKeyUsage=clientAuth'
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$pki/sa.key" 2>/dev/null
  openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

  # Pod Security `restricted` (enforce, audit and warn) for every namespace that has no label of
  # its own, so the namespace a stack declares is judged as strictly as the check's labelled ones.
  # The cluster-wide defaults of the PodSecurity admission plugin, as documented in
  # https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/
  cat > "$kube_work/admission.yaml" <<'YAML'
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: PodSecurity
    configuration:
      apiVersion: pod-security.admission.config.k8s.io/v1
      kind: PodSecurityConfiguration
      defaults:
        enforce: restricted
        enforce-version: latest
        audit: restricted
        audit-version: latest
        warn: restricted
        warn-version: latest
      exemptions:
        usernames: []
        runtimeClasses: []
        namespaces: []
YAML

  started=$SECONDS
  "$kube_bin/taskstack-etcd" --data-dir "$kube_work/etcd" --client-url "http://127.0.0.1:$etcd_port" \
    --peer-url "http://127.0.0.1:$peer_port" > "$kube_work/etcd.log" 2>&1 &
  kube_pids+=($!)
  # No nodes and no controllers: the API server, its admission chain and its storage only. The
  # endpoint reconciler is off because the `kubernetes` Service cannot point at a loopback address.
  # --allow-privileged as clusters run it (kubeadm sets it; the default refuses any privileged
  # container before Pod Security admission can judge it).
  "$kube_bin/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --endpoint-reconciler-type none \
    --tls-cert-file "$pki/server.crt" --tls-private-key-file "$pki/server.key" \
    --client-ca-file "$pki/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 \
    --authorization-mode RBAC \
    --admission-control-config-file "$kube_work/admission.yaml" \
    --allow-privileged=true \
    --cert-dir "$kube_work/cert-dir" \
    --profiling=false \
    > "$kube_work/kube-apiserver.log" 2>&1 &
  kube_pids+=($!)

  export KUBECONFIG="$kube_work/kubeconfig"
  kubectl=("$kube_bin/kubectl")
  "${kubectl[@]}" config set-cluster taskstack-check --server "https://127.0.0.1:$api_port" \
    --certificate-authority "$pki/ca.crt" --embed-certs > /dev/null
  "${kubectl[@]}" config set-credentials admin --client-certificate "$pki/admin.crt" \
    --client-key "$pki/admin.key" --embed-certs > /dev/null
  # Objects that name no namespace land in taskstack-check (the caller creates it).
  "${kubectl[@]}" config set-context taskstack-check --cluster taskstack-check --user admin \
    --namespace taskstack-check > /dev/null
  "${kubectl[@]}" config use-context taskstack-check > /dev/null

  for _ in $(seq 240); do
    if "${kubectl[@]}" get --raw /readyz > /dev/null 2>&1; then break; fi
    for pid in "${kube_pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || {
        echo "kube-apiserver: a server exited before the API server was ready; the logs end:" >&2
        tail -n 30 "$kube_work/etcd.log" "$kube_work/kube-apiserver.log" >&2
        exit 1
      }
    done
    sleep 0.5
  done
  "${kubectl[@]}" get --raw /readyz > /dev/null || {
    echo "kube-apiserver: the API server was not ready after 120 s; its log ends:" >&2
    tail -n 30 "$kube_work/kube-apiserver.log" >&2
    exit 1
  }
  local version
  version="$("${kubectl[@]}" version -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).serverVersion.gitVersion))')"
  echo "kube-apiserver: Kubernetes $version ready on 127.0.0.1:$api_port in $((SECONDS - started))s"
}

# Namespaces labelled for Pod Security `restricted`: pods that break it are refused, workloads
# whose pod template breaks it are accepted with a warning. With no controller manager here, the
# namespace's `default` ServiceAccount, which a Pod needs to be admitted, is made here.
kube_restricted_namespace() {
  "${kubectl[@]}" create namespace "$1" > /dev/null
  "${kubectl[@]}" create serviceaccount default --namespace "$1" > /dev/null
  "${kubectl[@]}" label namespace "$1" > /dev/null \
    pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest \
    pod-security.kubernetes.io/warn=restricted pod-security.kubernetes.io/warn-version=latest
}

# KEDA's CRDs, from the github.com/kedacore/keda/v2 module (config/crd/bases) that the Go module
# proxy serves, at KEDA_VERSION; applied and Established.
kube_keda_crds() {
  local keda_version="${KEDA_VERSION:-v2.20.2}" dir
  dir="$(cd "$kube_work" && go mod download -json "github.com/kedacore/keda/v2@$keda_version" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);if(m.Error){console.error(m.Error);process.exit(1)}console.log(m.Dir)})')"
  "${kubectl[@]}" apply --server-side --field-manager taskstack-check -f "$dir/config/crd/bases/" > /dev/null
  "${kubectl[@]}" wait --for condition=Established --timeout 60s -f "$dir/config/crd/bases/" > /dev/null
  echo "kube-apiserver: KEDA CRDs from github.com/kedacore/keda/v2@$keda_version (config/crd/bases, through the Go module proxy)"
}
