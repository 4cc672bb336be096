# Sourcer: `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV ?= $(shell command -v uv 2>/dev/null || echo python3 -m uv)
INFRA := bash deploy/local/infra.sh
# Exports AMQP_URL, MONGODB_URL and SOURCER_CHROMIUM_PATH for the local servers unless already set.
WITH_INFRA_ENV = eval "$$($(INFRA) env)" &&

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: uv
uv: ## Install uv when missing
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
		|| python3 -m pip install --quiet --break-system-packages uv

.PHONY: install
install: uv ## Install the Python workspace from uv.lock
	$(UV) sync --frozen

.PHONY: infra
infra: ## Install and start RabbitMQ, FerretDB and Chromium on this machine
	$(INFRA) install
	$(INFRA) start

.PHONY: infra-stop
infra-stop: ## Stop the local RabbitMQ and FerretDB
	$(INFRA) stop

.PHONY: test
test: install infra deploy-tools extension extension-test ## Install everything, start the infrastructure and run every test tier
	$(WITH_INFRA_ENV) $(UV) run --frozen pytest $(PYTEST_ARGS)

# The Chrome extension: npm ci from the lockfile, then esbuild bundles dist/ (unpacked) and the
# store zip; the build prints both sizes. Node.js and npm come from Debian when missing.
.PHONY: node
node:
	@command -v npm >/dev/null 2>&1 || { sudo=$$(command -v sudo || true); \
		$$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q nodejs npm; }

.PHONY: extension
extension: node ## Build the browser extension (extension/dist and extension/sourcer-extension.zip)
	cd extension && npm ci --no-audit --no-fund && npm run build

.PHONY: extension-test
extension-test: node ## The extension's unit tests (node's test runner)
	cd extension && npm ci --no-audit --no-fund && npm test

.PHONY: lint
lint: install ## ruff (format and lint) and mypy
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen ruff check .
	$(UV) run --frozen mypy proto/src libs/runtime/src services/*/src bench
	$(UV) run --frozen lint-imports

.PHONY: format
format: install ## Format and fix what ruff can
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

.PHONY: schemas
schemas: install ## Regenerate proto/schemas (JSON Schema and AsyncAPI)
	$(UV) run --frozen sourcer-schemas

.PHONY: docs
docs: install ## Regenerate the tables in README.md and docs/ that come from the code
	$(UV) run --frozen sourcer-docs

.PHONY: bench
bench: install infra ## Run the benchmarks; each prints a ratio against its baseline
	$(WITH_INFRA_ENV) for b in bench/*.py; do echo "== $$b"; $(UV) run --frozen python $$b || exit 1; done

.PHONY: dev
dev: install infra ## Run the whole fleet locally with a demo
	$(WITH_INFRA_ENV) bash deploy/local/dev.sh

# Offline checks of deploy/k8s: helm from the Go module proxy, the operators' CRDs from their Go
# modules (their published schemas), all under .tools/ (git-ignored).
HELM_VERSION := v3.22.0
KEDA_VERSION := v2.21.0
MONGODB_OPERATOR_VERSION := v0.9.0
TOOLS := .tools
HELM := $(TOOLS)/helm-$(HELM_VERSION)/helm
CRDS := $(TOOLS)/crds
GOMODCACHE = $(shell go env GOMODCACHE)

.PHONY: deploy-tools
deploy-tools: $(HELM) $(CRDS)/keda-$(KEDA_VERSION) $(CRDS)/mongodb-$(MONGODB_OPERATOR_VERSION) ## Build helm and fetch the KEDA and MongoDB operator CRDs (once)

$(HELM):
	GOBIN=$(abspath $(dir $(HELM))) go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

$(CRDS)/keda-$(KEDA_VERSION):
	go mod download github.com/kedacore/keda/v2@$(KEDA_VERSION)
	mkdir -p $@.tmp && cp $(GOMODCACHE)/github.com/kedacore/keda/v2@$(KEDA_VERSION)/config/crd/bases/*.yaml $@.tmp/
	chmod -R u+w $@.tmp && mv $@.tmp $@

$(CRDS)/mongodb-$(MONGODB_OPERATOR_VERSION):
	go mod download github.com/mongodb/mongodb-kubernetes-operator@$(MONGODB_OPERATOR_VERSION)
	mkdir -p $@.tmp && cp $(GOMODCACHE)/github.com/mongodb/mongodb-kubernetes-operator@$(MONGODB_OPERATOR_VERSION)/config/crd/bases/*.yaml $@.tmp/
	chmod -R u+w $@.tmp && mv $@.tmp $@

.PHONY: deploy-check
deploy-check: install deploy-tools ## Lint, render and validate the Helm chart; the deploy tests
	$(HELM) lint deploy/k8s/sourcer
	$(UV) run --frozen python deploy/k8s/consumers.py --check
	$(UV) run --frozen pytest tests/deploy -q
