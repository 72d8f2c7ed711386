
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hiyari' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hiyari'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hiyari' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Scan the account (or evaluate a saved inventory) and report findings')
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Scan the account and save the inventory as JSON, without evaluating it')
            [CompletionResult]::new('checks', 'checks', [CompletionResultType]::ParameterValue, 'List every check: id, severity, scope, title, incidents (`--format markdown`: with each check''s documentation). One check costs money to run: unused-region-spend makes a Cost Explorer request per account and scan, which AWS charges USD 0.01 for')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two JSON reports: findings new, resolved, changed in status, unchanged')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter hiyari.toml. With credentials, allowed_regions is filled with the regions where EC2 compute runs today, for you to confirm')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Print the least-privilege IAM policy (JSON) for the selected checks: exactly the read-only actions hiyari calls')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Combine JSON reports (e.g. of the shards of an organization) into one report, in any format. Exit codes as for audit')
            [CompletionResult]::new('sweep', 'sweep', [CompletionResultType]::ParameterValue, 'After a leak notice: everything that happened since then, in every region, from CloudTrail event history and the live resources (created resources and who created them, what the named keys or principals did, console sign-ins, spend, AWS Health notices), with the notice''s checklist filled in. Exit codes: 0 nothing in the window, 1 something to review, 2 no report, 3 an incomplete report (a region or source that could not be read, or the --max-events bound reached)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show what a check looks at, why it matters, and how to fix it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script of a shell, e.g. `hiyari completions bash > ~/.local/share/bash-completion/completions/hiyari` (release archives ship them all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hiyari;audit' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The home region, where the first calls go. Default: AWS_REGION or the profile''s. `audit --inventory` refuses it: the inventory recorded its home region')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Scan only these regions (comma-separated). Default: every enabled region. For `audit --inventory`: evaluate only these of the regions the inventory holds (a region it does not hold is an error); the others are reported as not selected')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)')
            [CompletionResult]::new('--call-timeout', '--call-timeout', [CompletionResultType]::ParameterName, 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role to assume in each account of --org and --accounts')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the roles'' trust policies require, if any')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out (comma-separated ids)')
            [CompletionResult]::new('--account-concurrency', '--account-concurrency', [CompletionResultType]::ParameterName, 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The configuration file (default: hiyari.toml in the working directory, if any)')
            [CompletionResult]::new('--checks', '--checks', [CompletionResultType]::ParameterName, 'Run only these checks (comma-separated ids)')
            [CompletionResult]::new('--skip-checks', '--skip-checks', [CompletionResultType]::ParameterName, 'Skip these checks (comma-separated ids)')
            [CompletionResult]::new('--allowed-regions', '--allowed-regions', [CompletionResultType]::ParameterName, 'Regions where EC2 compute is expected (comma-separated). Instances and spot requests elsewhere fail unused-region-compute. Default: allowed_regions in hiyari.toml, else the home region (--region)')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Evaluate a saved inventory (from `hiyari collect`) instead of scanning: no AWS calls are made. Reports give the time the inventory was collected and, separately, the time of the evaluation. --regions narrows it; --region is refused')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write reports. `PATH` writes the --format output there instead of stdout; `FORMAT=PATH` writes that format there as well (e.g. `sarif=hiyari.sarif`). Repeat it to write several formats from one scan. `-` is stdout. A name before `=` that is not a format is an error; for a file whose name contains `=`, give a directory with it: `./a=b.txt`')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write reports. `PATH` writes the --format output there instead of stdout; `FORMAT=PATH` writes that format there as well (e.g. `sarif=hiyari.sarif`). Repeat it to write several formats from one scan. `-` is stdout. A name before `=` that is not a format is an error; for a file whose name contains `=`, give a directory with it: `./a=b.txt`')
            [CompletionResult]::new('--sarif-location', '--sarif-location', [CompletionResultType]::ParameterName, 'The repository file SARIF results point at (at line 1), as a path relative to the repository root. Default: the configuration file, else `hiyari.toml`')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when an unmuted fail of this severity or worse exists (default: the config''s fail_on, else low)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Compare with an earlier JSON report: every finding is marked `new` or `existing` (JSON gains a `baseline` field per finding)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bar (it is shown on stderr only when stderr is a terminal)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials'' own account is audited with them')
            [CompletionResult]::new('--fail-on-new', '--fail-on-new', [CompletionResultType]::ParameterName, 'With --baseline: exit 1 only for fails that are new (a fail the baseline already had does not fail CI; errors still exit 3)')
            [CompletionResult]::new('--fail-on-warnings', '--fail-on-warnings', [CompletionResultType]::ParameterName, 'Exit 4 when the run has warnings (an accepted risk that expired or matched nothing, an allowed region that does not exist) and no fail at or above --fail-on and nothing in error. Also `fail_on_warnings = true` in hiyari.toml')
            [CompletionResult]::new('--show-pass', '--show-pass', [CompletionResultType]::ParameterName, 'List passing checks in the table too (JSON always has them)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hiyari;collect' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)')
            [CompletionResult]::new('--call-timeout', '--call-timeout', [CompletionResultType]::ParameterName, 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role to assume in each account of --org and --accounts')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the roles'' trust policies require, if any')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out (comma-separated ids)')
            [CompletionResult]::new('--account-concurrency', '--account-concurrency', [CompletionResultType]::ParameterName, 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The configuration file (default: hiyari.toml in the working directory, if any)')
            [CompletionResult]::new('--checks', '--checks', [CompletionResultType]::ParameterName, 'Run only these checks (comma-separated ids)')
            [CompletionResult]::new('--skip-checks', '--skip-checks', [CompletionResultType]::ParameterName, 'Skip these checks (comma-separated ids)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the inventory (JSON). `-` for stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the inventory (JSON). `-` for stdout')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The home region, where the first calls go. Default: AWS_REGION or the profile''s.')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Scan only these regions (comma-separated). Default: every enabled region.')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bar (it is shown on stderr only when stderr is a terminal)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials'' own account is audited with them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hiyari;checks' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, '`table` (one line per check) or `markdown` (the table, then every check''s documentation: what it does, why, how to fix, incidents, API calls and IAM actions)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hiyari;diff' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hiyari;init' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)')
            [CompletionResult]::new('--call-timeout', '--call-timeout', [CompletionResultType]::ParameterName, 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the file')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write the file')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The home region, where the first calls go. Default: AWS_REGION or the profile''s.')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Look for compute only in these regions (comma-separated). Default: every enabled region.')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bar (it is shown on stderr only when stderr is a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the file if it exists')
            [CompletionResult]::new('--no-scan', '--no-scan', [CompletionResultType]::ParameterName, 'Do not contact AWS: write the starter file without allowed_regions')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hiyari;policy' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The configuration file (default: hiyari.toml in the working directory, if any)')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'With --org: the role assumed in each account')
            [CompletionResult]::new('--checks', '--checks', [CompletionResultType]::ParameterName, 'Only the actions of these checks (comma-separated ids)')
            [CompletionResult]::new('--skip-checks', '--skip-checks', [CompletionResultType]::ParameterName, 'Leave out the actions of these checks (comma-separated ids)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The policy of the principal that runs `hiyari audit --org`: Organizations ListAccounts and STS AssumeRole into --role-name, besides the audit''s own actions (for the credentials'' own account). Each member account''s role needs the policy printed without --org')
            [CompletionResult]::new('--sweep', '--sweep', [CompletionResultType]::ParameterName, 'The policy of `hiyari sweep` instead: exactly the read-only actions a sweep calls (with --org, also listing the organization and assuming --role-name)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hiyari;merge' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when an unmuted fail of this severity or worse exists')
            [CompletionResult]::new('--fail-on-warnings', '--fail-on-warnings', [CompletionResultType]::ParameterName, 'Exit 4 when the merged reports carry warnings (or an account is in two of them) and no fail at or above --fail-on and nothing in error')
            [CompletionResult]::new('--show-pass', '--show-pass', [CompletionResultType]::ParameterName, 'List passing checks in the table too')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hiyari;sweep' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)')
            [CompletionResult]::new('--call-timeout', '--call-timeout', [CompletionResultType]::ParameterName, 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization')
            [CompletionResult]::new('--role-arn', '--role-arn', [CompletionResultType]::ParameterName, 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org')
            [CompletionResult]::new('--role-name', '--role-name', [CompletionResultType]::ParameterName, 'The role to assume in each account of --org and --accounts')
            [CompletionResult]::new('--external-id', '--external-id', [CompletionResultType]::ParameterName, 'The external id the roles'' trust policies require, if any')
            [CompletionResult]::new('--exclude-accounts', '--exclude-accounts', [CompletionResultType]::ParameterName, 'Leave these accounts out (comma-separated ids)')
            [CompletionResult]::new('--account-concurrency', '--account-concurrency', [CompletionResultType]::ParameterName, 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'The start of the window: an RFC 3339 time (2026-11-20T09:00:00Z) or a duration back from now (36h, 7d, 90m). CloudTrail''s event history keeps 90 days')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'The end of the window (RFC 3339 or a duration back from now). Default: now')
            [CompletionResult]::new('--access-key-id', '--access-key-id', [CompletionResultType]::ParameterName, 'Everything this access key did in the window, in every region, and the temporary keys it minted (GetSessionToken, AssumeRole, GetFederationToken), followed and attributed to it. Repeat it for several keys')
            [CompletionResult]::new('--principal', '--principal', [CompletionResultType]::ParameterName, 'Everything this principal (an ARN, or an IAM user name; `root`) did in the window. Repeat it for several')
            [CompletionResult]::new('--max-events', '--max-events', [CompletionResultType]::ParameterName, 'With neither --access-key-id nor --principal, every write event is read, at most this many per account and region (newest first). A region with more is reported as cut, and the sweep exits 3')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write reports: `PATH` for the --format output, `FORMAT=PATH` for another format as well (e.g. `html=sweep.html`). Repeatable. `-` is stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Where to write reports: `PATH` for the --format output, `FORMAT=PATH` for another format as well (e.g. `html=sweep.html`). Repeatable. `-` is stdout')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Also save what was collected (a sweep inventory, JSON), to evaluate again later with --inventory')
            [CompletionResult]::new('--inventory', '--inventory', [CompletionResultType]::ParameterName, 'Evaluate a saved sweep inventory (from --save) instead of calling AWS')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The configuration file (default: hiyari.toml, if any). `[checks.unused-region-spend] enabled = false` there also keeps the sweep from reading spend (Cost Explorer charges USD 0.01 a request)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The home region, where the first calls go. Default: AWS_REGION or the profile''s.')
            [CompletionResult]::new('--regions', '--regions', [CompletionResultType]::ParameterName, 'Sweep only these regions (comma-separated). Default: every enabled region.')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'No progress bar (it is shown on stderr only when stderr is a terminal)')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials'' own account is audited with them')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hiyari;explain' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hiyari;completions' {
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hiyari;help' {
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Scan the account (or evaluate a saved inventory) and report findings')
            [CompletionResult]::new('collect', 'collect', [CompletionResultType]::ParameterValue, 'Scan the account and save the inventory as JSON, without evaluating it')
            [CompletionResult]::new('checks', 'checks', [CompletionResultType]::ParameterValue, 'List every check: id, severity, scope, title, incidents (`--format markdown`: with each check''s documentation). One check costs money to run: unused-region-spend makes a Cost Explorer request per account and scan, which AWS charges USD 0.01 for')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Compare two JSON reports: findings new, resolved, changed in status, unchanged')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented starter hiyari.toml. With credentials, allowed_regions is filled with the regions where EC2 compute runs today, for you to confirm')
            [CompletionResult]::new('policy', 'policy', [CompletionResultType]::ParameterValue, 'Print the least-privilege IAM policy (JSON) for the selected checks: exactly the read-only actions hiyari calls')
            [CompletionResult]::new('merge', 'merge', [CompletionResultType]::ParameterValue, 'Combine JSON reports (e.g. of the shards of an organization) into one report, in any format. Exit codes as for audit')
            [CompletionResult]::new('sweep', 'sweep', [CompletionResultType]::ParameterValue, 'After a leak notice: everything that happened since then, in every region, from CloudTrail event history and the live resources (created resources and who created them, what the named keys or principals did, console sign-ins, spend, AWS Health notices), with the notice''s checklist filled in. Exit codes: 0 nothing in the window, 1 something to review, 2 no report, 3 an incomplete report (a region or source that could not be read, or the --max-events bound reached)')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show what a check looks at, why it matters, and how to fix it')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script of a shell, e.g. `hiyari completions bash > ~/.local/share/bash-completion/completions/hiyari` (release archives ship them all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hiyari;help;audit' {
            break
        }
        'hiyari;help;collect' {
            break
        }
        'hiyari;help;checks' {
            break
        }
        'hiyari;help;diff' {
            break
        }
        'hiyari;help;init' {
            break
        }
        'hiyari;help;policy' {
            break
        }
        'hiyari;help;merge' {
            break
        }
        'hiyari;help;sweep' {
            break
        }
        'hiyari;help;explain' {
            break
        }
        'hiyari;help;completions' {
            break
        }
        'hiyari;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
