# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hiyari_global_optspecs
    string join \n v/verbose h/help V/version
end

function __fish_hiyari_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hiyari_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hiyari_using_subcommand
    set -l cmd (__fish_hiyari_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hiyari -n "__fish_hiyari_needs_command" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hiyari -n "__fish_hiyari_needs_command" -s V -l version -d 'Print version'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "audit" -d 'Scan the account (or evaluate a saved inventory) and report findings'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "collect" -d 'Scan the account and save the inventory as JSON, without evaluating it'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "checks" -d 'List every check: id, severity, scope, title, incidents (`--format markdown`: with each check\'s documentation). One check costs money to run: unused-region-spend makes a Cost Explorer request per account and scan, which AWS charges USD 0.01 for'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "diff" -d 'Compare two JSON reports: findings new, resolved, changed in status, unchanged'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "init" -d 'Write a commented starter hiyari.toml. With credentials, allowed_regions is filled with the regions where EC2 compute runs today, for you to confirm'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "policy" -d 'Print the least-privilege IAM policy (JSON) for the selected checks: exactly the read-only actions hiyari calls'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "merge" -d 'Combine JSON reports (e.g. of the shards of an organization) into one report, in any format. Exit codes as for audit'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "sweep" -d 'After a leak notice: everything that happened since then, in every region, from CloudTrail event history and the live resources (created resources and who created them, what the named keys or principals did, console sign-ins, spend, AWS Health notices), with the notice\'s checklist filled in. Exit codes: 0 nothing in the window, 1 something to review, 2 no report, 3 an incomplete report (a region or source that could not be read, or the --max-events bound reached)'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "explain" -d 'Show what a check looks at, why it matters, and how to fix it'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "completions" -d 'Print the completion script of a shell, e.g. `hiyari completions bash > ~/.local/share/bash-completion/completions/hiyari` (release archives ship them all)'
complete -c hiyari -n "__fish_hiyari_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l profile -d 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l region -d 'The home region, where the first calls go. Default: AWS_REGION or the profile\'s. `audit --inventory` refuses it: the inventory recorded its home region' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK\'s AWS_ENDPOINT_URL works too' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l regions -d 'Scan only these regions (comma-separated). Default: every enabled region. For `audit --inventory`: evaluate only these of the regions the inventory holds (a region it does not hold is an error); the others are reported as not selected' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l concurrency -d 'Most AWS requests in flight at once, across all regions and services. Each region\'s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l max-attempts -d 'Attempts per AWS call, the first included (the SDK\'s adaptive retry handles throttling and transient errors between them)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l call-timeout -d 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l timeout -d 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l accounts -d 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l role-arn -d 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l role-name -d 'The role to assume in each account of --org and --accounts' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l external-id -d 'The external id the roles\' trust policies require, if any' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l exclude-accounts -d 'Leave these accounts out (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l account-concurrency -d 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l shard -d 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l config -d 'The configuration file (default: hiyari.toml in the working directory, if any)' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l checks -d 'Run only these checks (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l skip-checks -d 'Skip these checks (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l allowed-regions -d 'Regions where EC2 compute is expected (comma-separated). Instances and spot requests elsewhere fail unused-region-compute. Default: allowed_regions in hiyari.toml, else the home region (--region)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l inventory -d 'Evaluate a saved inventory (from `hiyari collect`) instead of scanning: no AWS calls are made. Reports give the time the inventory was collected and, separately, the time of the evaluation. --regions narrows it; --region is refused' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l format -d 'Output format' -r -f -a "table\t'A readable table, grouped by severity, with a summary line'
json\t'The `hiyari.report/v1` JSON contract, for CI and SIEM'
ocsf\t'OCSF 1.3 Compliance Finding events, one JSON object per line, for a SIEM'
sarif\t'SARIF 2.1.0, for GitHub code scanning'
junit\t'JUnit XML, one test suite per check, for CI test reports'
asff\t'AWS Security Finding Format (a JSON array), for Security Hub BatchImportFindings'
csv\t'CSV with a header row, one row per finding'
markdown\t'The pre-handover checklist in Markdown'
html\t'The pre-handover checklist as one self-contained HTML file'"
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -s o -l output -d 'Where to write reports. `PATH` writes the --format output there instead of stdout; `FORMAT=PATH` writes that format there as well (e.g. `sarif=hiyari.sarif`). Repeat it to write several formats from one scan. `-` is stdout. A name before `=` that is not a format is an error; for a file whose name contains `=`, give a directory with it: `./a=b.txt`' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l sarif-location -d 'The repository file SARIF results point at (at line 1), as a path relative to the repository root. Default: the configuration file, else `hiyari.toml`' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l fail-on -d 'Exit 1 when an unmuted fail of this severity or worse exists (default: the config\'s fail_on, else low)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l baseline -d 'Compare with an earlier JSON report: every finding is marked `new` or `existing` (JSON gains a `baseline` field per finding)' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l no-progress -d 'No progress bar (it is shown on stderr only when stderr is a terminal)'
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l org -d 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials\' own account is audited with them'
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l fail-on-new -d 'With --baseline: exit 1 only for fails that are new (a fail the baseline already had does not fail CI; errors still exit 3)'
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l fail-on-warnings -d 'Exit 4 when the run has warnings (an accepted risk that expired or matched nothing, an allowed region that does not exist) and no fail at or above --fail-on and nothing in error. Also `fail_on_warnings = true` in hiyari.toml'
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -l show-pass -d 'List passing checks in the table too (JSON always has them)'
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l profile -d 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK\'s AWS_ENDPOINT_URL works too' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l concurrency -d 'Most AWS requests in flight at once, across all regions and services. Each region\'s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l max-attempts -d 'Attempts per AWS call, the first included (the SDK\'s adaptive retry handles throttling and transient errors between them)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l call-timeout -d 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l timeout -d 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l accounts -d 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l role-arn -d 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l role-name -d 'The role to assume in each account of --org and --accounts' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l external-id -d 'The external id the roles\' trust policies require, if any' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l exclude-accounts -d 'Leave these accounts out (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l account-concurrency -d 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l shard -d 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l config -d 'The configuration file (default: hiyari.toml in the working directory, if any)' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l checks -d 'Run only these checks (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l skip-checks -d 'Skip these checks (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -s o -l output -d 'Where to write the inventory (JSON). `-` for stdout' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l region -d 'The home region, where the first calls go. Default: AWS_REGION or the profile\'s.' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l regions -d 'Scan only these regions (comma-separated). Default: every enabled region.' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l no-progress -d 'No progress bar (it is shown on stderr only when stderr is a terminal)'
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -l org -d 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials\' own account is audited with them'
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand collect" -s h -l help -d 'Print help'
complete -c hiyari -n "__fish_hiyari_using_subcommand checks" -l format -d '`table` (one line per check) or `markdown` (the table, then every check\'s documentation: what it does, why, how to fix, incidents, API calls and IAM actions)' -r -f -a "table\t''
markdown\t''"
complete -c hiyari -n "__fish_hiyari_using_subcommand checks" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand checks" -s h -l help -d 'Print help'
complete -c hiyari -n "__fish_hiyari_using_subcommand diff" -l format -d 'Output format' -r -f -a "table\t''
json\t''
markdown\t''
html\t''"
complete -c hiyari -n "__fish_hiyari_using_subcommand diff" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand diff" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand diff" -s h -l help -d 'Print help'
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l profile -d 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK\'s AWS_ENDPOINT_URL works too' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l concurrency -d 'Most AWS requests in flight at once, across all regions and services. Each region\'s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l max-attempts -d 'Attempts per AWS call, the first included (the SDK\'s adaptive retry handles throttling and transient errors between them)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l call-timeout -d 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l timeout -d 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -s o -l output -d 'Where to write the file' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l region -d 'The home region, where the first calls go. Default: AWS_REGION or the profile\'s.' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l regions -d 'Look for compute only in these regions (comma-separated). Default: every enabled region.' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l no-progress -d 'No progress bar (it is shown on stderr only when stderr is a terminal)'
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l force -d 'Overwrite the file if it exists'
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -l no-scan -d 'Do not contact AWS: write the starter file without allowed_regions'
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand init" -s h -l help -d 'Print help'
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -l config -d 'The configuration file (default: hiyari.toml in the working directory, if any)' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -l role-name -d 'With --org: the role assumed in each account' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -l checks -d 'Only the actions of these checks (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -l skip-checks -d 'Leave out the actions of these checks (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -l org -d 'The policy of the principal that runs `hiyari audit --org`: Organizations ListAccounts and STS AssumeRole into --role-name, besides the audit\'s own actions (for the credentials\' own account). Each member account\'s role needs the policy printed without --org'
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -l sweep -d 'The policy of `hiyari sweep` instead: exactly the read-only actions a sweep calls (with --org, also listing the organization and assuming --role-name)'
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand policy" -s h -l help -d 'Print help'
complete -c hiyari -n "__fish_hiyari_using_subcommand merge" -l format -d 'Output format' -r -f -a "table\t'A readable table, grouped by severity, with a summary line'
json\t'The `hiyari.report/v1` JSON contract, for CI and SIEM'
ocsf\t'OCSF 1.3 Compliance Finding events, one JSON object per line, for a SIEM'
sarif\t'SARIF 2.1.0, for GitHub code scanning'
junit\t'JUnit XML, one test suite per check, for CI test reports'
asff\t'AWS Security Finding Format (a JSON array), for Security Hub BatchImportFindings'
csv\t'CSV with a header row, one row per finding'
markdown\t'The pre-handover checklist in Markdown'
html\t'The pre-handover checklist as one self-contained HTML file'"
complete -c hiyari -n "__fish_hiyari_using_subcommand merge" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand merge" -l fail-on -d 'Exit 1 when an unmuted fail of this severity or worse exists' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand merge" -l fail-on-warnings -d 'Exit 4 when the merged reports carry warnings (or an account is in two of them) and no fail at or above --fail-on and nothing in error'
complete -c hiyari -n "__fish_hiyari_using_subcommand merge" -l show-pass -d 'List passing checks in the table too'
complete -c hiyari -n "__fish_hiyari_using_subcommand merge" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l profile -d 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l endpoint-url -d 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK\'s AWS_ENDPOINT_URL works too' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l concurrency -d 'Most AWS requests in flight at once, across all regions and services. Each region\'s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l max-attempts -d 'Attempts per AWS call, the first included (the SDK\'s adaptive retry handles throttling and transient errors between them)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l call-timeout -d 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l timeout -d 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l accounts -d 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l role-arn -d 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l role-name -d 'The role to assume in each account of --org and --accounts' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l external-id -d 'The external id the roles\' trust policies require, if any' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l exclude-accounts -d 'Leave these accounts out (comma-separated ids)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l account-concurrency -d 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l shard -d 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l since -d 'The start of the window: an RFC 3339 time (2026-11-20T09:00:00Z) or a duration back from now (36h, 7d, 90m). CloudTrail\'s event history keeps 90 days' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l until -d 'The end of the window (RFC 3339 or a duration back from now). Default: now' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l access-key-id -d 'Everything this access key did in the window, in every region, and the temporary keys it minted (GetSessionToken, AssumeRole, GetFederationToken), followed and attributed to it. Repeat it for several keys' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l principal -d 'Everything this principal (an ARN, or an IAM user name; `root`) did in the window. Repeat it for several' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l max-events -d 'With neither --access-key-id nor --principal, every write event is read, at most this many per account and region (newest first). A region with more is reported as cut, and the sweep exits 3' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l format -d 'Output format' -r -f -a "table\t'A summary per region and type, then the items'
json\t'The `hiyari.sweep/v1` JSON contract'
markdown\t'The leak notice\'s checklist, filled in, in Markdown'
html\t'The leak notice\'s checklist as one self-contained HTML file'"
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -s o -l output -d 'Where to write reports: `PATH` for the --format output, `FORMAT=PATH` for another format as well (e.g. `html=sweep.html`). Repeatable. `-` is stdout' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l save -d 'Also save what was collected (a sweep inventory, JSON), to evaluate again later with --inventory' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l inventory -d 'Evaluate a saved sweep inventory (from --save) instead of calling AWS' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l config -d 'The configuration file (default: hiyari.toml, if any). `[checks.unused-region-spend] enabled = false` there also keeps the sweep from reading spend (Cost Explorer charges USD 0.01 a request)' -r -F
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l region -d 'The home region, where the first calls go. Default: AWS_REGION or the profile\'s.' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l regions -d 'Sweep only these regions (comma-separated). Default: every enabled region.' -r
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l no-progress -d 'No progress bar (it is shown on stderr only when stderr is a terminal)'
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -l org -d 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials\' own account is audited with them'
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand sweep" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hiyari -n "__fish_hiyari_using_subcommand explain" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand explain" -s h -l help -d 'Print help'
complete -c hiyari -n "__fish_hiyari_using_subcommand completions" -s v -l verbose -d 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
complete -c hiyari -n "__fish_hiyari_using_subcommand completions" -s h -l help -d 'Print help'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "audit" -d 'Scan the account (or evaluate a saved inventory) and report findings'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "collect" -d 'Scan the account and save the inventory as JSON, without evaluating it'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "checks" -d 'List every check: id, severity, scope, title, incidents (`--format markdown`: with each check\'s documentation). One check costs money to run: unused-region-spend makes a Cost Explorer request per account and scan, which AWS charges USD 0.01 for'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "diff" -d 'Compare two JSON reports: findings new, resolved, changed in status, unchanged'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "init" -d 'Write a commented starter hiyari.toml. With credentials, allowed_regions is filled with the regions where EC2 compute runs today, for you to confirm'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "policy" -d 'Print the least-privilege IAM policy (JSON) for the selected checks: exactly the read-only actions hiyari calls'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "merge" -d 'Combine JSON reports (e.g. of the shards of an organization) into one report, in any format. Exit codes as for audit'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "sweep" -d 'After a leak notice: everything that happened since then, in every region, from CloudTrail event history and the live resources (created resources and who created them, what the named keys or principals did, console sign-ins, spend, AWS Health notices), with the notice\'s checklist filled in. Exit codes: 0 nothing in the window, 1 something to review, 2 no report, 3 an incomplete report (a region or source that could not be read, or the --max-events bound reached)'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "explain" -d 'Show what a check looks at, why it matters, and how to fix it'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "completions" -d 'Print the completion script of a shell, e.g. `hiyari completions bash > ~/.local/share/bash-completion/completions/hiyari` (release archives ship them all)'
complete -c hiyari -n "__fish_hiyari_using_subcommand help; and not __fish_seen_subcommand_from audit collect checks diff init policy merge sweep explain completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
