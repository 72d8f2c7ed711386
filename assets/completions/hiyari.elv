
use builtin;
use str;

set edit:completion:arg-completer[hiyari] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hiyari'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hiyari'= {
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand audit 'Scan the account (or evaluate a saved inventory) and report findings'
            cand collect 'Scan the account and save the inventory as JSON, without evaluating it'
            cand checks 'List every check: id, severity, scope, title, incidents (`--format markdown`: with each check''s documentation). One check costs money to run: unused-region-spend makes a Cost Explorer request per account and scan, which AWS charges USD 0.01 for'
            cand diff 'Compare two JSON reports: findings new, resolved, changed in status, unchanged'
            cand init 'Write a commented starter hiyari.toml. With credentials, allowed_regions is filled with the regions where EC2 compute runs today, for you to confirm'
            cand policy 'Print the least-privilege IAM policy (JSON) for the selected checks: exactly the read-only actions hiyari calls'
            cand merge 'Combine JSON reports (e.g. of the shards of an organization) into one report, in any format. Exit codes as for audit'
            cand sweep 'After a leak notice: everything that happened since then, in every region, from CloudTrail event history and the live resources (created resources and who created them, what the named keys or principals did, console sign-ins, spend, AWS Health notices), with the notice''s checklist filled in. Exit codes: 0 nothing in the window, 1 something to review, 2 no report, 3 an incomplete report (a region or source that could not be read, or the --max-events bound reached)'
            cand explain 'Show what a check looks at, why it matters, and how to fix it'
            cand completions 'Print the completion script of a shell, e.g. `hiyari completions bash > ~/.local/share/bash-completion/completions/hiyari` (release archives ship them all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hiyari;audit'= {
            cand --profile 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity'
            cand --region 'The home region, where the first calls go. Default: AWS_REGION or the profile''s. `audit --inventory` refuses it: the inventory recorded its home region'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too'
            cand --regions 'Scan only these regions (comma-separated). Default: every enabled region. For `audit --inventory`: evaluate only these of the regions the inventory holds (a region it does not hold is an error); the others are reported as not selected'
            cand --concurrency 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account'
            cand --max-attempts 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)'
            cand --call-timeout 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`'
            cand --timeout 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written'
            cand --accounts 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization'
            cand --role-arn 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org'
            cand --role-name 'The role to assume in each account of --org and --accounts'
            cand --external-id 'The external id the roles'' trust policies require, if any'
            cand --exclude-accounts 'Leave these accounts out (comma-separated ids)'
            cand --account-concurrency 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight'
            cand --shard 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)'
            cand --config 'The configuration file (default: hiyari.toml in the working directory, if any)'
            cand --checks 'Run only these checks (comma-separated ids)'
            cand --skip-checks 'Skip these checks (comma-separated ids)'
            cand --allowed-regions 'Regions where EC2 compute is expected (comma-separated). Instances and spot requests elsewhere fail unused-region-compute. Default: allowed_regions in hiyari.toml, else the home region (--region)'
            cand --inventory 'Evaluate a saved inventory (from `hiyari collect`) instead of scanning: no AWS calls are made. Reports give the time the inventory was collected and, separately, the time of the evaluation. --regions narrows it; --region is refused'
            cand --format 'Output format'
            cand -o 'Where to write reports. `PATH` writes the --format output there instead of stdout; `FORMAT=PATH` writes that format there as well (e.g. `sarif=hiyari.sarif`). Repeat it to write several formats from one scan. `-` is stdout. A name before `=` that is not a format is an error; for a file whose name contains `=`, give a directory with it: `./a=b.txt`'
            cand --output 'Where to write reports. `PATH` writes the --format output there instead of stdout; `FORMAT=PATH` writes that format there as well (e.g. `sarif=hiyari.sarif`). Repeat it to write several formats from one scan. `-` is stdout. A name before `=` that is not a format is an error; for a file whose name contains `=`, give a directory with it: `./a=b.txt`'
            cand --sarif-location 'The repository file SARIF results point at (at line 1), as a path relative to the repository root. Default: the configuration file, else `hiyari.toml`'
            cand --fail-on 'Exit 1 when an unmuted fail of this severity or worse exists (default: the config''s fail_on, else low)'
            cand --baseline 'Compare with an earlier JSON report: every finding is marked `new` or `existing` (JSON gains a `baseline` field per finding)'
            cand --no-progress 'No progress bar (it is shown on stderr only when stderr is a terminal)'
            cand --org 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials'' own account is audited with them'
            cand --fail-on-new 'With --baseline: exit 1 only for fails that are new (a fail the baseline already had does not fail CI; errors still exit 3)'
            cand --fail-on-warnings 'Exit 4 when the run has warnings (an accepted risk that expired or matched nothing, an allowed region that does not exist) and no fail at or above --fail-on and nothing in error. Also `fail_on_warnings = true` in hiyari.toml'
            cand --show-pass 'List passing checks in the table too (JSON always has them)'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hiyari;collect'= {
            cand --profile 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too'
            cand --concurrency 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account'
            cand --max-attempts 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)'
            cand --call-timeout 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`'
            cand --timeout 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written'
            cand --accounts 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization'
            cand --role-arn 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org'
            cand --role-name 'The role to assume in each account of --org and --accounts'
            cand --external-id 'The external id the roles'' trust policies require, if any'
            cand --exclude-accounts 'Leave these accounts out (comma-separated ids)'
            cand --account-concurrency 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight'
            cand --shard 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)'
            cand --config 'The configuration file (default: hiyari.toml in the working directory, if any)'
            cand --checks 'Run only these checks (comma-separated ids)'
            cand --skip-checks 'Skip these checks (comma-separated ids)'
            cand -o 'Where to write the inventory (JSON). `-` for stdout'
            cand --output 'Where to write the inventory (JSON). `-` for stdout'
            cand --region 'The home region, where the first calls go. Default: AWS_REGION or the profile''s.'
            cand --regions 'Scan only these regions (comma-separated). Default: every enabled region.'
            cand --no-progress 'No progress bar (it is shown on stderr only when stderr is a terminal)'
            cand --org 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials'' own account is audited with them'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hiyari;checks'= {
            cand --format '`table` (one line per check) or `markdown` (the table, then every check''s documentation: what it does, why, how to fix, incidents, API calls and IAM actions)'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hiyari;diff'= {
            cand --format 'Output format'
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hiyari;init'= {
            cand --profile 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too'
            cand --concurrency 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account'
            cand --max-attempts 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)'
            cand --call-timeout 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`'
            cand --timeout 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written'
            cand -o 'Where to write the file'
            cand --output 'Where to write the file'
            cand --region 'The home region, where the first calls go. Default: AWS_REGION or the profile''s.'
            cand --regions 'Look for compute only in these regions (comma-separated). Default: every enabled region.'
            cand --no-progress 'No progress bar (it is shown on stderr only when stderr is a terminal)'
            cand --force 'Overwrite the file if it exists'
            cand --no-scan 'Do not contact AWS: write the starter file without allowed_regions'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hiyari;policy'= {
            cand --config 'The configuration file (default: hiyari.toml in the working directory, if any)'
            cand --role-name 'With --org: the role assumed in each account'
            cand --checks 'Only the actions of these checks (comma-separated ids)'
            cand --skip-checks 'Leave out the actions of these checks (comma-separated ids)'
            cand --org 'The policy of the principal that runs `hiyari audit --org`: Organizations ListAccounts and STS AssumeRole into --role-name, besides the audit''s own actions (for the credentials'' own account). Each member account''s role needs the policy printed without --org'
            cand --sweep 'The policy of `hiyari sweep` instead: exactly the read-only actions a sweep calls (with --org, also listing the organization and assuming --role-name)'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hiyari;merge'= {
            cand --format 'Output format'
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand --fail-on 'Exit 1 when an unmuted fail of this severity or worse exists'
            cand --fail-on-warnings 'Exit 4 when the merged reports carry warnings (or an account is in two of them) and no fail at or above --fail-on and nothing in error'
            cand --show-pass 'List passing checks in the table too'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hiyari;sweep'= {
            cand --profile 'The AWS profile to use (default: the AWS_PROFILE environment variable, then the default profile). Any credential source of the AWS SDK works: environment, SSO, instance and container roles, web identity'
            cand --endpoint-url 'Send every AWS call to this endpoint (an emulator such as moto_server). The SDK''s AWS_ENDPOINT_URL works too'
            cand --concurrency 'Most AWS requests in flight at once, across all regions and services. Each region''s endpoints have their own rate limits, so this is a few per endpoint; lower it when other tools are throttled on the same account'
            cand --max-attempts 'Attempts per AWS call, the first included (the SDK''s adaptive retry handles throttling and transient errors between them)'
            cand --call-timeout 'Deadline of one AWS call, retries included, in seconds. A call past it makes the checks that needed it `error`'
            cand --timeout 'Deadline of the whole scan, in seconds. Calls still unanswered when it passes (a stalled region, a service that never answers) make the checks that needed them `error`, and the report of everything else is written'
            cand --accounts 'Audit these accounts (comma-separated 12-digit ids), assuming --role-name in each, instead of listing the organization'
            cand --role-arn 'Audit the account of this role, assuming it. Repeat it for several accounts; it combines with --accounts and --org'
            cand --role-name 'The role to assume in each account of --org and --accounts'
            cand --external-id 'The external id the roles'' trust policies require, if any'
            cand --exclude-accounts 'Leave these accounts out (comma-separated ids)'
            cand --account-concurrency 'Most accounts audited at once. Every account shares --concurrency, the one bound on requests in flight'
            cand --shard 'Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an AWS Batch array job) cover every account exactly once. Combine their JSON reports with `hiyari merge`. A 0-based worker index K is written `K+1/N` (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job)'
            cand --since 'The start of the window: an RFC 3339 time (2026-11-20T09:00:00Z) or a duration back from now (36h, 7d, 90m). CloudTrail''s event history keeps 90 days'
            cand --until 'The end of the window (RFC 3339 or a duration back from now). Default: now'
            cand --access-key-id 'Everything this access key did in the window, in every region, and the temporary keys it minted (GetSessionToken, AssumeRole, GetFederationToken), followed and attributed to it. Repeat it for several keys'
            cand --principal 'Everything this principal (an ARN, or an IAM user name; `root`) did in the window. Repeat it for several'
            cand --max-events 'With neither --access-key-id nor --principal, every write event is read, at most this many per account and region (newest first). A region with more is reported as cut, and the sweep exits 3'
            cand --format 'Output format'
            cand -o 'Where to write reports: `PATH` for the --format output, `FORMAT=PATH` for another format as well (e.g. `html=sweep.html`). Repeatable. `-` is stdout'
            cand --output 'Where to write reports: `PATH` for the --format output, `FORMAT=PATH` for another format as well (e.g. `html=sweep.html`). Repeatable. `-` is stdout'
            cand --save 'Also save what was collected (a sweep inventory, JSON), to evaluate again later with --inventory'
            cand --inventory 'Evaluate a saved sweep inventory (from --save) instead of calling AWS'
            cand --config 'The configuration file (default: hiyari.toml, if any). `[checks.unused-region-spend] enabled = false` there also keeps the sweep from reading spend (Cost Explorer charges USD 0.01 a request)'
            cand --region 'The home region, where the first calls go. Default: AWS_REGION or the profile''s.'
            cand --regions 'Sweep only these regions (comma-separated). Default: every enabled region.'
            cand --no-progress 'No progress bar (it is shown on stderr only when stderr is a terminal)'
            cand --org 'Audit every ACTIVE account of the organization: Organizations ListAccounts (run it as the management account or a delegated administrator), then STS AssumeRole into --role-name in each. The credentials'' own account is audited with them'
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hiyari;explain'= {
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hiyari;completions'= {
            cand -v 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand --verbose 'More logging on stderr (-v info, -vv debug). RUST_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hiyari;help'= {
            cand audit 'Scan the account (or evaluate a saved inventory) and report findings'
            cand collect 'Scan the account and save the inventory as JSON, without evaluating it'
            cand checks 'List every check: id, severity, scope, title, incidents (`--format markdown`: with each check''s documentation). One check costs money to run: unused-region-spend makes a Cost Explorer request per account and scan, which AWS charges USD 0.01 for'
            cand diff 'Compare two JSON reports: findings new, resolved, changed in status, unchanged'
            cand init 'Write a commented starter hiyari.toml. With credentials, allowed_regions is filled with the regions where EC2 compute runs today, for you to confirm'
            cand policy 'Print the least-privilege IAM policy (JSON) for the selected checks: exactly the read-only actions hiyari calls'
            cand merge 'Combine JSON reports (e.g. of the shards of an organization) into one report, in any format. Exit codes as for audit'
            cand sweep 'After a leak notice: everything that happened since then, in every region, from CloudTrail event history and the live resources (created resources and who created them, what the named keys or principals did, console sign-ins, spend, AWS Health notices), with the notice''s checklist filled in. Exit codes: 0 nothing in the window, 1 something to review, 2 no report, 3 an incomplete report (a region or source that could not be read, or the --max-events bound reached)'
            cand explain 'Show what a check looks at, why it matters, and how to fix it'
            cand completions 'Print the completion script of a shell, e.g. `hiyari completions bash > ~/.local/share/bash-completion/completions/hiyari` (release archives ship them all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hiyari;help;audit'= {
        }
        &'hiyari;help;collect'= {
        }
        &'hiyari;help;checks'= {
        }
        &'hiyari;help;diff'= {
        }
        &'hiyari;help;init'= {
        }
        &'hiyari;help;policy'= {
        }
        &'hiyari;help;merge'= {
        }
        &'hiyari;help;sweep'= {
        }
        &'hiyari;help;explain'= {
        }
        &'hiyari;help;completions'= {
        }
        &'hiyari;help;help'= {
        }
    ]
    $completions[$command]
}
