/**
 * Generated from docs/openapi.json by `npm run openapi` (openapi-typescript). Do not edit:
 * change the route schemas in src/ and regenerate. Named aliases live in ./types.ts.
 */

export interface paths {
    "/api/v1/adverse-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Adverse-event records of the caller's programs, newest first, as JSON for the quality system */
        get: operations["listAdverseEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Advisories of the programs the caller may read, newest first */
        get: operations["listAdvisories"];
        put?: never;
        /** Draft an advisory from confirmed cases of one program, prefilled from their assessments and consented credits */
        post: operations["draftAdvisory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An advisory with every revision, its cases and the published revision history */
        get: operations["getAdvisory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/cve/reserve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reserve CVE IDs through CVE Services for the advisory's program (CNA programs; case team) */
        post: operations["reserveCveIds"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/cve/{cveId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The CVE JSON 5 record stored when the advisory was published (newest revision)
         * @description The body is the stored file byte for byte — the bytes hashed and signed at publication, the same that `vigil cve export` writes — so its hashes and signature verify against it.
         */
        get: operations["getAdvisoryCveRecord"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/cve/{cveId}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the stored CVE record to CVE Services (created the first time, updated after); refused until the advisory is public */
        post: operations["publishCveRecord"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notifications (customers, reporters) and sharing packages of an advisory, with outbox status; addresses for customer managers only */
        get: operations["listAdvisoryDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a correction: the next revision as a draft copied from the published one, with a change summary */
        post: operations["correctAdvisory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace the whole content of a draft revision (CVSS scores and CWE names are recomputed; a published revision answers 409) */
        put: operations["editAdvisoryDraft"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{number}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a revision in review (approver duty; not its author or an editor) */
        post: operations["approveAdvisoryRevision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{number}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Build the CSAF document(s) and CVE records this revision would publish now and check them: errors block approval and publication, warnings advise */
        get: operations["checkAdvisoryRevision"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{number}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish an approved revision now, or schedule it when its publishNotBefore is ahead (case team) */
        post: operations["publishAdvisoryRevision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{number}/return": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a revision in review, approved or scheduled back to draft (case team, or an approver declining it) */
        post: operations["returnAdvisoryRevision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{number}/submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Submit a draft revision for approval (case team) */
        post: operations["submitAdvisoryRevision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{n}/recipients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Before publishing: how many customer addresses a revision would notify and which have no OpenPGP key (for TLP:AMBER/RED they get a notice without the content); contacts named for customer managers only */
        get: operations["listAdvisoryRecipients"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/advisories/{id}/revisions/{n}/share": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send an approved, scheduled or published revision to coordinators as encrypted sharing packages (TLP:AMBER by default before publication) */
        post: operations["shareAdvisory"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/factors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user's second factors */
        get: operations["getFactors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a passkey from the authenticator answer (RegistrationResponseJSON) */
        post: operations["addPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** WebAuthn creation options (PublicKeyCredentialCreationOptionsJSON) to add a passkey */
        post: operations["startPasskeyRegistration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove one of your passkeys */
        delete: operations["removePasskey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ten new recovery codes, replacing the old set (shown once) */
        post: operations["replaceRecoveryCodes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The current console session (user, CSRF token, expiry, memberships); refreshes the idle timer */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/setup/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Use a setup or enrolment link: set the password and TOTP, get recovery codes, sign in */
        post: operations["completeSetupLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/setup/open": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a setup or enrolment link offers: its kind, the email and the TOTP secret to set up
         * @description A POST although it changes nothing, so that the token is in the body rather than the URL.
         */
        post: operations["openSetupLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check email and password; answers which second factors the account can use
         * @description Sets the 5-minute `vigil_pending` cookie for the second step. A wrong email or password is answered with the same 401 after the same work. 429 while the account or address is throttled.
         */
        post: operations["signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sign-in/passkey": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Second factor: a passkey assertion (AuthenticationResponseJSON); opens the session */
        post: operations["signInPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sign-in/passkey/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** WebAuthn request options (PublicKeyCredentialRequestOptionsJSON) for the pending user */
        post: operations["signInPasskeyOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sign-in/recovery": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Second factor: a recovery code, spent by this sign-in; opens the session */
        post: operations["signInRecoveryCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sign-in/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Second factor: a TOTP code (each code is accepted once); opens the session */
        post: operations["signInTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/sign-out": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the console session and clear its cookie */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cwe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search the CWE catalogue by id ("79", "CWE-79") or by words in the name */
        get: operations["searchCwe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deadlines kept, times to acknowledge/verify/summarise, and volume, per period
         * @description Cases received in [from, to] (each program's days in its own time zone). A clock is kept when stopped (its step, or closing) on or before its due instant, missed when stopped later or still running past it, open while running and not yet due, not applicable when a triage outcome (invalid / spam, forwarded to support) closed the case before its step. Durations are hours from receipt to the step itself. A bad `from`, `to` or `program` answers 400 naming it; a program the caller cannot read answers 404.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The same figures as CSV (section,key,value), as a download
         * @description Cases received in [from, to] (each program's days in its own time zone). A clock is kept when stopped (its step, or closing) on or before its due instant, missed when stopped later or still running past it, open while running and not yet due, not applicable when a triage outcome (invalid / spam, forwarded to support) closed the case before its step. Durations are hours from receipt to the step itself. A bad `from`, `to` or `program` answers 400 naming it; a program the caller cannot read answers 404. One figure per row; the layout is described in src/metrics/csv.ts.
         */
        get: operations["getMetricsCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every policy document of the programs the caller can see, with its review status: overdue first, then by due date */
        get: operations["listPolicyReviewStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public programs and their report forms */
        get: operations["listPrograms"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One program and its report form */
        get: operations["getProgram"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A proof-of-work challenge to solve before submitting a report
         * @description Adaptive: `required: false` in quiet times; harder as the program's reports of the last hour and this client's own recent reports grow (docs/security.md). Solve it (find n with SHA-256(salt + n) = challenge), then send the solution in the `X-Vigil-Proof` header of POST /api/v1/programs/{slug}/reports.
         */
        get: operations["getChallenge"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/coordinators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Coordinators (ISACs, CERTs) of a program that receive sharing packages */
        get: operations["listCoordinators"];
        put?: never;
        /** Add a coordinator; its OpenPGP key is required (sharing packages are always encrypted) */
        post: operations["createCoordinator"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/coordinators/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a coordinator no package was shared with yet */
        delete: operations["deleteCoordinator"];
        options?: never;
        head?: never;
        /** Change a coordinator's name, address, key or default TLP label */
        patch: operations["updateCoordinator"];
        trace?: never;
    };
    "/api/v1/programs/{slug}/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Customer organisations of a program with their contacts and product subscriptions */
        get: operations["listCustomers"];
        put?: never;
        /** Add a customer organisation, subscribed to products, with its contacts */
        post: operations["createCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/customers/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import customers from CSV (organisation,name,email,products[,pgp_key]); all rows or none, every bad line named */
        post: operations["importCustomers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/customers/{orgId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a customer organisation with its contacts and subscriptions */
        delete: operations["deleteCustomer"];
        options?: never;
        head?: never;
        /** Rename a customer organisation or replace its product subscriptions */
        patch: operations["updateCustomer"];
        trace?: never;
    };
    "/api/v1/programs/{slug}/customers/{orgId}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a contact to a customer organisation */
        post: operations["addCustomerContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/customers/{orgId}/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a contact of a customer organisation */
        delete: operations["deleteCustomerContact"];
        options?: never;
        head?: never;
        /** Change a contact's name, address or key (publicKey null removes the key) */
        patch: operations["updateCustomerContact"];
        trace?: never;
    };
    "/api/v1/programs/{slug}/intake-pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether the program's intake is paused, with its public message and reopening date */
        get: operations["getIntakePause"];
        /**
         * Pause the program's intake (admins and leads; audited)
         * @description While paused, the program page and form show the message instead of the form, the JSON API answers 503 with Retry-After (until the reopening date, else an hour) and the message, and SMTP answers 450 4.7.1. Nothing is stored, so no deadline starts. Sending it again changes the message or date.
         */
        put: operations["pauseIntake"];
        post?: never;
        /** Resume the program's intake (admins and leads; audited) */
        delete: operations["resumeIntake"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The program's members and the instance admins (for assigning cases) */
        get: operations["listProgramMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The program's policy documents, with review due dates and an overdue flag */
        get: operations["listPolicies"];
        put?: never;
        /** Create a policy document (program admin or lead) */
        post: operations["createPolicy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A policy document with its versions and generated revision history */
        get: operations["getPolicy"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/review-without-change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Annual review that changes nothing, step 1: the privacy officer signs the published version */
        post: operations["reviewPolicyWithoutChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/review-without-change/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Annual review, step 2: the approver (not the reviewer) signs; the due date starts again */
        post: operations["approvePolicyReviewWithoutChange"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a draft version, from scratch (body) or from the published text (from: "published") */
        post: operations["createPolicyDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Edit a draft version (text, record of changes, effective date) */
        patch: operations["editPolicyDraft"];
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/versions/{version}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a reviewed version (approver duty; not its reviewer, author or an editor) */
        post: operations["approvePolicyVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/versions/{version}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish an approved version (owner); the published one before it becomes superseded */
        post: operations["publishPolicyVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/versions/{version}/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Review a version in review (privacy duty; not its author or an editor) */
        post: operations["reviewPolicyVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/versions/{version}/send-back": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a version in review back to draft with a note on what must change (privacy duty; not its author or an editor) */
        post: operations["sendBackPolicyVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/policies/{kind}/versions/{version}/submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Submit a draft for review (owner) */
        post: operations["submitPolicyVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/programs/{slug}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a vulnerability report
         * @description Send `application/json` with `{ "fields": { … } }`, or `multipart/form-data` with one text part per field id and any number of file parts (attachments). The answer carries the case number, the private case link (shown only once) and the acknowledgement deadline. While the program's intake is paused the answer is 503 `intake_paused` with its message and Retry-After (until it reopens), and nothing is stored.
         */
        post: operations["submitReport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/regulatory/clocks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every running regulatory clock across the caller's programs, soonest due first */
        get: operations["listRegulatoryClocks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The case queue: nearest deadline first by default, filtered, keyset-paginated
         * @description `sort=deadline` (default): cases with a running clock by the earliest due instant among them (overdue first), then cases with no clock running, newest first. `sort=received`: newest first. `sort=triage`, the "needs triage" lane: cases in state `received` only, by the triage score of their quality signals, best first (cases without signals last); a `state` filter other than `received` answers 400. Only programs the caller may read are included.
         */
        get: operations["listReports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * One triage action with one reply on many cases, each its own audited change
         * @description Each case is checked, changed, audited and mailed in its own transaction, exactly as its single-case action would: a refusal on one case (404 for a case you cannot see, 409 for an action its state does not allow) is that case's result, and the others proceed. A bad request (no cases, too many, a case listed twice, an unknown action, request_info without a message) answers 400 naming the field, and changes nothing.
         */
        post: operations["applyBulkCaseAction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One case with its decrypted content, contact details, attachments and messages (audited)
         * @description A case of a program the caller cannot see answers 404, exactly like a missing one. `contact` is omitted unless the caller is on the case team (admin, lead or handler of the program); the audit entry lists which parts were read.
         */
        get: operations["getReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm receipt and name the contact person (mails the reporter; stops the acknowledgement clock) */
        post: operations["acknowledgeCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/adverse-event": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The case's complaint/vigilance record for the quality system, with its reportability (404 when none) */
        get: operations["getAdverseEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/assessment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A case's assessment: CVSS, CWE, SSVC, patient safety, affected products */
        get: operations["getAssessment"];
        /** Replace the assessment; scores, SSVC decision and patient-safety risk are computed (audited) */
        put: operations["saveAssessment"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Assign the case to a staff user (by id or email), or to nobody with {"userId": null} */
        post: operations["assignCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/attachments/{attachmentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download an attachment (always as a file, never rendered; audited) */
        get: operations["downloadAttachment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close the case (an optional message goes to the reporter) */
        post: operations["closeCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm the vulnerability */
        post: operations["confirmCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/credit-consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reporter’s consent to public credit: where it stands and every change, with how it was given */
        get: operations["getCreditConsent"];
        put?: never;
        /** Record a consent (or withdrawal) the reporter gave another way, with the evidence (case team; audited) */
        post: operations["recordCreditConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/duplicate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verdict: duplicate of another case of the program (the reporter learns nothing of it) */
        post: operations["markCaseDuplicate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The case as one file for records and hand-over, as the caller may see it (audited)
         * @description A download (`<case-number>.json`, or `.md` with `format=md`): metadata, deadlines and clocks, state history, content, contact details (case team only), messages and internal notes with authors, attachments with SHA-256 (no bytes), assessment, privacy escalation and quarantine summaries. Parts held in PHI quarantine are left out for callers without the privacy duty and listed under `withheld`. One `report.exported` audit entry names the parts that left.
         */
        get: operations["exportReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/forward-to-support": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Not a vulnerability: send the reporter the program's support contact (plus the message) and close the case */
        post: operations["forwardCaseToSupport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/informational": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verdict: informational (the reporter is told) */
        post: operations["markCaseInformational"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/mark-disclosed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark the case as publicly disclosed */
        post: operations["markCaseDisclosed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/mark-invalid": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close as invalid / spam: the reporter gets the program's invalid reply (plus the message); clocks not yet stopped become not applicable */
        post: operations["markCaseInvalid"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A message to the reporter (shown on their page and mailed) or an internal note */
        post: operations["addCaseMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/not-reproducible": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verdict: not reproducible (the reporter is told) */
        post: operations["markCaseNotReproducible"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/out-of-scope": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verdict: out of scope in one of the program's categories (the reporter gets its answer) */
        post: operations["markCaseOutOfScope"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/phi-access-claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The reporter’s words saying they reached PHI or personal data, and the team’s decision (404 when none were found) */
        get: operations["getPhiAccessClaim"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/phi-access-claim/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Decide to open no privacy escalation on the reporter’s statement, with the reason (case team or privacy duty; audited) */
        post: operations["declinePhiAccessClaim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/privacy-escalation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The case's privacy escalation: deadline, checklist and who did what (404 when none) */
        get: operations["getPrivacyEscalation"];
        put?: never;
        /** Open a privacy escalation by hand, or reopen a closed one, with the reason (case team or privacy duty; audited) */
        post: operations["openPrivacyEscalation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/privacy-escalation/checklist/{item}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Tick or untick one checklist item, with an optional note (privacy duty; audited) */
        put: operations["setPrivacyEscalationItem"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/privacy-escalation/close": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close the escalation once every checklist item is done, or early with a reason (privacy duty; 409 names open items) */
        post: operations["closePrivacyEscalation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/quarantine": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Parts of a case held by the PHI guard, with live masked findings, and its redactions (audited)
         * @description Privacy duty only: 403 for other readers of the case, 404 for anyone else.
         */
        get: operations["getQuarantine"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/quarantine/{partId}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Release a false positive: the part becomes visible to the case team (409 unless held) */
        post: operations["releaseQuarantinedPart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/redactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Propose a redaction of spans or whole attachments (409 while another is proposed)
         * @description Only offsets are stored; a second privacy officer approves or rejects it.
         */
        post: operations["proposeRedaction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/redactions/{redactionId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve and apply a redaction: the original is destroyed (another officer than the proposer) */
        post: operations["approveRedaction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/redactions/{redactionId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a proposed redaction; nothing changes in the case */
        post: operations["rejectRedaction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The case's regulatory record: triggers, clocks, decisions, FDA exception, adverse event */
        get: operations["getRegulatory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory/clocks/{clockId}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Paste-ready content for the clock's report, as text and JSON (nothing is sent; the reporter's contact details never appear) */
        get: operations["getRegulatoryReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory/clocks/{clockId}/submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record that the report was submitted, with the reference number: the clock stops (case team) */
        post: operations["submitRegulatoryReport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Propose that a trigger is not reportable under one regime, with the reason (case team) */
        post: operations["proposeNotReportable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory/decisions/{decisionId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a proposed decision: another person with the regime's duty (approver, or privacy for HIPAA/GDPR); closes its clocks */
        post: operations["approveNotReportable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory/decisions/{decisionId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a proposed decision, with the reason: another person with the regime's duty; clocks run on */
        post: operations["rejectNotReportable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory/triggers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a trigger; it starts the clocks the product's profile owes (case team; 400 names `kind` when the profile has no such duty) */
        post: operations["recordRegulatoryTrigger"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/regulatory/triggers/{triggerId}/measure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A corrective or mitigating measure is available: starts the clocks that wait for it (case team) */
        post: operations["recordCorrectiveMeasure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/reopen": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reopen a closed case for verification (the reason is kept as an internal note) */
        post: operations["reopenCase"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/request-info": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask the reporter for more information (a message and a mail; the state stays) */
        post: operations["requestCaseInformation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/similar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Duplicate suggestions: up to five similar open or recently closed cases (audited)
         * @description Cases of the same program that are open or were closed within 180 days, scored on shared product, version, CWE, endpoints and text, most similar first, each with the reasons it was picked. Needs `case.read`; a case the caller cannot read answers 404.
         */
        get: operations["listSimilarReports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/start-remediation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start remediating a confirmed vulnerability */
        post: operations["startCaseRemediation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/start-verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start verifying the report */
        post: operations["startCaseVerification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send the summary of findings to the reporter (once verification has a verdict) */
        post: operations["sendCaseSummary"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{caseNumber}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Messages, internal notes, actions and assignments in order (audited) */
        get: operations["getCaseTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's API tokens; an instance admin adds ?all=1 for everyone's */
        get: operations["listTokens"];
        put?: never;
        /** Create an API token for yourself; the secret is in this answer only */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token: your own, or any for an instance admin */
        delete: operations["revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: {
        /** @description Default Response */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: string;
                    message: string;
                    fields?: {
                        path: string;
                        message: string;
                    }[];
                    requestId: string;
                };
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAdverseEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            number: string;
                            caseNumber: string;
                            program: string;
                            productId: string | null;
                            openedAt: string;
                            reasons: string[];
                            patientSafety: {
                                severity: string;
                                exploitability: string;
                                risk: string;
                            } | null;
                            reportability: {
                                clocks: {
                                    duty: string;
                                    regulation: string;
                                    article: string;
                                    /** @enum {string} */
                                    state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                                    dueAt: string | null;
                                    reference: string | null;
                                }[];
                                decisions: {
                                    /** @enum {string} */
                                    regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                                    state: string;
                                    decidedAt: string;
                                    reviewedAt: string | null;
                                }[];
                            };
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
        };
    };
    listAdvisories: {
        parameters: {
            query?: {
                program?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        advisories: {
                            id: string;
                            program: string;
                            /** @enum {string} */
                            state: "draft" | "published";
                            title: string;
                            /** @enum {string} */
                            tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                            publishedRevision: number | null;
                            initialReleaseAt: string | null;
                            currentReleaseAt: string | null;
                            openRevision: {
                                number: number;
                                /** @enum {string} */
                                state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                                publishNotBefore: string | null;
                            } | null;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    draftAdvisory: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cases: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getAdvisory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    reserveCveIds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 1 */
                    amount?: number;
                    year?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cveIds: string[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            502: components["responses"]["Error"];
            503: components["responses"]["Error"];
        };
    };
    getAdvisoryCveRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                cveId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A CVE JSON 5 record (dataType CVE_RECORD), exactly as stored at publication */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    publishCveRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                cveId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cveId: string;
                        /** @enum {string} */
                        action: "created" | "updated";
                        dataVersion: string;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            502: components["responses"]["Error"];
            503: components["responses"]["Error"];
        };
    };
    listAdvisoryDeliveries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description Recipient addresses are shown only to those who may list the program customers and coordinators (its admins and leads)
                         * @enum {string}
                         */
                        addresses: "shown" | "withheld";
                        deliveries: {
                            /** @enum {string} */
                            kind: "customer" | "reporter";
                            /** @description null when addresses are withheld */
                            email: string | null;
                            revision: number;
                            /** @enum {string} */
                            stage: "pre-notification" | "publication";
                            encrypted: boolean;
                            /** @enum {string} */
                            status: "pending" | "sending" | "sent" | "failed" | "unknown";
                            queuedAt: string;
                            sentAt: string | null;
                        }[];
                        sharing: {
                            coordinatorId: string;
                            coordinator: string;
                            /** @description null when addresses are withheld */
                            email: string | null;
                            revision: number;
                            /** @enum {string} */
                            tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                            /** @enum {string} */
                            status: "pending" | "sending" | "sent" | "failed" | "unknown";
                            sharedBy: string;
                            sharedAt: string;
                            sentAt: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    correctAdvisory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    summary: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    editAdvisoryDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                number: number;
            };
            cookie?: never;
        };
        /** @description AdvisoryContent (see the getAdvisory response) */
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    approveAdvisoryRevision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    checkAdvisoryRevision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        revision: number;
                        artefacts: {
                            kind: string;
                            name: string;
                        }[];
                        errors: {
                            artefact: string;
                            test: string;
                            path: string;
                            message: string;
                        }[];
                        warnings: {
                            artefact: string;
                            test: string;
                            path: string;
                            message: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    publishAdvisoryRevision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    returnAdvisoryRevision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    submitAdvisoryRevision: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                number: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        program: string;
                        /** @enum {string} */
                        state: "draft" | "published";
                        title: string;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        publishedRevision: number | null;
                        initialReleaseAt: string | null;
                        currentReleaseAt: string | null;
                        openRevision: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            publishNotBefore: string | null;
                        } | null;
                        createdAt: string;
                        updatedAt: string;
                        cases: string[];
                        url: string;
                        revisions: {
                            number: number;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "scheduled" | "published";
                            summary: string;
                            content: {
                                title: string;
                                summary: string;
                                vulnerabilities: {
                                    cve?: string;
                                    title: string;
                                    description: string;
                                    cwe?: {
                                        id: string;
                                        name: string;
                                    };
                                    cvss31?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    cvss40?: {
                                        vector: string;
                                        baseScore: number;
                                        /** @enum {string} */
                                        severity: "none" | "low" | "medium" | "high" | "critical";
                                    };
                                    affected: {
                                        productId: string;
                                        productName: string;
                                        versions: {
                                            version: string;
                                            lessThan?: string;
                                            lessThanOrEqual?: string;
                                            /** @enum {string} */
                                            status: "affected" | "unaffected";
                                        }[];
                                        fixedIn?: string;
                                        /**
                                         * @default unaffected
                                         * @enum {string}
                                         */
                                        defaultStatus: "affected" | "unaffected" | "unknown";
                                    }[];
                                    /** @default [] */
                                    remediations: {
                                        /** @enum {string} */
                                        category: "vendor_fix" | "mitigation" | "workaround" | "none_available" | "no_fix_planned";
                                        details: string;
                                        /** Format: uri */
                                        url?: string;
                                        productIds?: string[];
                                    }[];
                                    /** @default [] */
                                    credits: {
                                        text: string;
                                        /**
                                         * @default finder
                                         * @enum {string}
                                         */
                                        type: "finder" | "reporter" | "analyst" | "coordinator" | "remediation developer" | "remediation reviewer" | "remediation verifier" | "tool" | "sponsor" | "other";
                                        /** @default en */
                                        lang: string;
                                    }[];
                                    /** @default [] */
                                    caseNumbers: string[];
                                }[];
                                mitigations?: string;
                                /** @default [] */
                                references: {
                                    /** Format: uri */
                                    url: string;
                                    summary?: string;
                                }[];
                                /**
                                 * @default CLEAR
                                 * @enum {string}
                                 */
                                tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                                /** Format: date-time */
                                publishNotBefore?: string;
                            };
                            author: string;
                            editors: string[];
                            authorId: string;
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            approvedById: string | null;
                            publishNotBefore: string | null;
                            scheduledAt: string | null;
                            publishedAt: string | null;
                        }[];
                        history: {
                            number: string;
                            date: string;
                            summary: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    listAdvisoryRecipients: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        revision: number;
                        /** @enum {string} */
                        tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        notifyCustomers: boolean;
                        restricted: boolean;
                        /** @enum {string} */
                        addresses: "shown" | "withheld";
                        customers: number;
                        withoutKey: number;
                        keylessContacts: {
                            organisation: string;
                            name: string;
                            email: string;
                        }[] | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    shareAdvisory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                n: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    coordinatorIds: string[];
                    /** @enum {string} */
                    tlp?: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        shared: {
                            coordinatorId: string;
                            coordinator: string;
                            /** @description null when addresses are withheld */
                            email: string | null;
                            revision: number;
                            /** @enum {string} */
                            tlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                            /** @enum {string} */
                            status: "pending" | "sending" | "sent" | "failed" | "unknown";
                            sharedBy: string;
                            sharedAt: string;
                            sentAt: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getFactors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        totp: boolean;
                        passkeys: {
                            id: string;
                            name: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                        }[];
                        recoveryCodesLeft: number;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    addPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    response: {
                        id: string;
                        rawId: string;
                        /** @enum {string} */
                        type: "public-key";
                        response: {
                            clientDataJSON: string;
                            attestationObject: string;
                            transports?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                        /** @default {} */
                        clientExtensionResults?: {
                            [key: string]: unknown;
                        };
                        authenticatorAttachment?: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    startPasskeyRegistration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        challenge: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    removePasskey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    replaceRecoveryCodes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recoveryCodes: string[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "member";
                        };
                        /** @description Send as X-CSRF-Token with every POST, PUT, PATCH and DELETE. */
                        csrfToken: string;
                        /** @description The absolute end of the session. */
                        expiresAt: string;
                        /** @description When the session ends without another request. */
                        idleExpiresAt: string;
                        memberships: {
                            program: string;
                            programName: string;
                            role: string;
                            duties: string[];
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
        };
    };
    completeSetupLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The token after `#` in the setup or enrolment link. */
                    token: string;
                    /** @description Only for the first-admin setup link. */
                    email?: string;
                    name?: string;
                    password: string;
                    totpCode: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "member";
                        };
                        recoveryCodes: string[];
                    };
                };
            };
            400: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    openSetupLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The token after `#` in the setup or enrolment link. */
                    token: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        kind: "first-admin" | "enrolment";
                        email: string | null;
                        totpSecret: string;
                        otpauthUrl: string;
                    };
                };
            };
            400: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        secondFactor: {
                            totp: boolean;
                            passkey: boolean;
                            /** @enum {boolean} */
                            recoveryCode: true;
                        };
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            429: components["responses"]["Error"];
        };
    };
    signInPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                    rawId: string;
                    /** @enum {string} */
                    type: "public-key";
                    response: {
                        clientDataJSON: string;
                        authenticatorData: string;
                        signature: string;
                        userHandle?: string;
                    } & {
                        [key: string]: unknown;
                    };
                    /** @default {} */
                    clientExtensionResults?: {
                        [key: string]: unknown;
                    };
                    authenticatorAttachment?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "member";
                        };
                        /** @description Send as X-CSRF-Token with every POST, PUT, PATCH and DELETE. */
                        csrfToken: string;
                        /** @description The absolute end of the session. */
                        expiresAt: string;
                        /** @description When the session ends without another request. */
                        idleExpiresAt: string;
                        memberships: {
                            program: string;
                            programName: string;
                            role: string;
                            duties: string[];
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            429: components["responses"]["Error"];
        };
    };
    signInPasskeyOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        challenge: string;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            401: components["responses"]["Error"];
        };
    };
    signInRecoveryCode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "member";
                        };
                        /** @description Send as X-CSRF-Token with every POST, PUT, PATCH and DELETE. */
                        csrfToken: string;
                        /** @description The absolute end of the session. */
                        expiresAt: string;
                        /** @description When the session ends without another request. */
                        idleExpiresAt: string;
                        memberships: {
                            program: string;
                            programName: string;
                            role: string;
                            duties: string[];
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            429: components["responses"]["Error"];
        };
    };
    signInTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: {
                            id: string;
                            email: string;
                            name: string;
                            /** @enum {string} */
                            role: "admin" | "member";
                        };
                        /** @description Send as X-CSRF-Token with every POST, PUT, PATCH and DELETE. */
                        csrfToken: string;
                        /** @description The absolute end of the session. */
                        expiresAt: string;
                        /** @description When the session ends without another request. */
                        idleExpiresAt: string;
                        memberships: {
                            program: string;
                            programName: string;
                            role: string;
                            duties: string[];
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            429: components["responses"]["Error"];
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    searchCwe: {
        parameters: {
            query?: {
                q?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            name: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
        };
    };
    getMetrics: {
        parameters: {
            query?: {
                /** @description A program slug; repeat for several. Default: every program the caller may read. */
                program?: string | string[];
                /** @description First day received, YYYY-MM-DD (default: 89 days before `to`). */
                from?: string;
                /** @description Last day received, YYYY-MM-DD (default: today, UTC). */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        period: {
                            from: string;
                            to: string;
                        };
                        programs: string[];
                        /** @description Cases received in the period. */
                        cases: number;
                        deadlines: {
                            acknowledge: {
                                /** @description Cases with this clock. */
                                due: number;
                                /** @description Stopped on or before the due instant. */
                                kept: number;
                                /** @description Stopped after it, or still running past it. */
                                missed: number;
                                /** @description Running, not yet due. */
                                open: number;
                                /** @description Stopped by a triage outcome (invalid / spam, forwarded to support) before its step. */
                                notApplicable: number;
                                /** @description kept / (kept + missed); null when none is decided. */
                                keptShare: number | null;
                            };
                            verify: {
                                /** @description Cases with this clock. */
                                due: number;
                                /** @description Stopped on or before the due instant. */
                                kept: number;
                                /** @description Stopped after it, or still running past it. */
                                missed: number;
                                /** @description Running, not yet due. */
                                open: number;
                                /** @description Stopped by a triage outcome (invalid / spam, forwarded to support) before its step. */
                                notApplicable: number;
                                /** @description kept / (kept + missed); null when none is decided. */
                                keptShare: number | null;
                            };
                            summary: {
                                /** @description Cases with this clock. */
                                due: number;
                                /** @description Stopped on or before the due instant. */
                                kept: number;
                                /** @description Stopped after it, or still running past it. */
                                missed: number;
                                /** @description Running, not yet due. */
                                open: number;
                                /** @description Stopped by a triage outcome (invalid / spam, forwarded to support) before its step. */
                                notApplicable: number;
                                /** @description kept / (kept + missed); null when none is decided. */
                                keptShare: number | null;
                            };
                        };
                        durations: {
                            acknowledge: {
                                /** @description Cases in which the step happened. */
                                count: number;
                                medianHours: number | null;
                                p90Hours: number | null;
                            };
                            verify: {
                                /** @description Cases in which the step happened. */
                                count: number;
                                medianHours: number | null;
                                p90Hours: number | null;
                            };
                            summary: {
                                /** @description Cases in which the step happened. */
                                count: number;
                                medianHours: number | null;
                                p90Hours: number | null;
                            };
                        };
                        byState: {
                            key: string;
                            count: number;
                            label?: string;
                        }[];
                        bySeverity: {
                            key: string;
                            count: number;
                            label?: string;
                        }[];
                        /** @description `label`: the product name. */
                        byProduct: {
                            key: string;
                            count: number;
                            label?: string;
                        }[];
                        /** @description `label`: the CWE name. */
                        byCwe: {
                            key: string;
                            count: number;
                            label?: string;
                        }[];
                        /** @description Regulatory clocks per regulation, over every case of the programs (not only the period). */
                        regulatory: {
                            regime: string;
                            regulation: string;
                            /** @description Reports submitted on or before their due instant. */
                            kept: number;
                            /** @description Submitted late, or past due with nothing on record. */
                            missed: number;
                            /** @description Not yet due, or waiting for the fact that starts them. */
                            running: number;
                            /** @description Closed by an approved "not reportable" decision. */
                            notReportable: number;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    getMetricsCsv: {
        parameters: {
            query?: {
                /** @description A program slug; repeat for several. Default: every program the caller may read. */
                program?: string | string[];
                /** @description First day received, YYYY-MM-DD (default: 89 days before `to`). */
                from?: string;
                /** @description Last day received, YYYY-MM-DD (default: today, UTC). */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    listPolicyReviewStatus: {
        parameters: {
            query?: {
                /** @description Only overdue reviews (true) or only those not overdue (false). */
                overdue?: "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        documents: {
                            program: {
                                slug: string;
                                name: string;
                            };
                            kind: string;
                            title: string;
                            reviewIntervalDays: number;
                            published: {
                                version: string;
                                effectiveDate: string | null;
                                publishedAt: string;
                            } | null;
                            openVersion: {
                                version: string;
                                /** @enum {string} */
                                state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            } | null;
                            lastReviewedAt: string | null;
                            reviewDueAt: string | null;
                            overdue: boolean;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
        };
    };
    listPrograms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            slug: string;
                            name: string;
                            vendor: string;
                            languages: string[];
                            timeZone: string;
                            deadlines: {
                                [key: string]: {
                                    businessDays?: number;
                                    calendarDays?: number;
                                };
                            };
                            acceptsAttachments: boolean;
                            fields: {
                                id: string;
                                kind: string;
                                label: string;
                                required: boolean;
                                help?: string;
                                options?: {
                                    value: string;
                                    label: string;
                                }[];
                            }[];
                            products: {
                                id: string;
                                name: string;
                                versions: {
                                    versions: string;
                                    inScope: boolean;
                                }[];
                            }[];
                            outOfScope: {
                                id: string;
                                name: string;
                            }[];
                        }[];
                    };
                };
            };
        };
    };
    getProgram: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        slug: string;
                        name: string;
                        vendor: string;
                        languages: string[];
                        timeZone: string;
                        deadlines: {
                            [key: string]: {
                                businessDays?: number;
                                calendarDays?: number;
                            };
                        };
                        acceptsAttachments: boolean;
                        fields: {
                            id: string;
                            kind: string;
                            label: string;
                            required: boolean;
                            help?: string;
                            options?: {
                                value: string;
                                label: string;
                            }[];
                        }[];
                        products: {
                            id: string;
                            name: string;
                            versions: {
                                versions: string;
                                inScope: boolean;
                            }[];
                        }[];
                        outOfScope: {
                            id: string;
                            name: string;
                        }[];
                    };
                };
            };
            404: components["responses"]["Error"];
        };
    };
    getChallenge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description False in quiet times: send the report without a proof. */
                        required: boolean;
                        /** @description 0 (none) to 4: how busy the program is, as far as this client is concerned. */
                        level: number;
                        /** @enum {string} */
                        algorithm?: "SHA-256";
                        /** @description SHA-256 of salt + the secret number, hex. */
                        challenge?: string;
                        /** @description Binds the challenge to the program and its expiry; hash it as given. */
                        salt?: string;
                        signature?: string;
                        /** @description The secret number is an integer from 0 to maxnumber. */
                        maxnumber?: number;
                        /** @description Solve and send the report before this ISO-8601 instant. */
                        expiresAt?: string;
                    };
                };
            };
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
            503: components["responses"]["Error"];
        };
    };
    listCoordinators: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        coordinators: {
                            id: string;
                            name: string;
                            email: string;
                            keyFingerprint: string;
                            /** @enum {string} */
                            defaultTlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    createCoordinator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** Format: email */
                    email: string;
                    publicKey: string;
                    /**
                     * @default AMBER
                     * @enum {string}
                     */
                    defaultTlp?: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        email: string;
                        keyFingerprint: string;
                        /** @enum {string} */
                        defaultTlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    deleteCoordinator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    updateCoordinator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** Format: email */
                    email?: string;
                    publicKey?: string;
                    /** @enum {string} */
                    defaultTlp?: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        email: string;
                        keyFingerprint: string;
                        /** @enum {string} */
                        defaultTlp: "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    listCustomers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        organisations: {
                            id: string;
                            name: string;
                            products: string[];
                            contacts: {
                                id: string;
                                name: string;
                                email: string;
                                keyFingerprint: string | null;
                            }[];
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    createCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    products: string[];
                    /** @default [] */
                    contacts?: {
                        name: string;
                        /** Format: email */
                        email: string;
                        publicKey?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        products: string[];
                        contacts: {
                            id: string;
                            name: string;
                            email: string;
                            keyFingerprint: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    importCustomers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        organisationsCreated: number;
                        contactsCreated: number;
                        contactsUpdated: number;
                        rows: number;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            415: components["responses"]["Error"];
        };
    };
    deleteCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    updateCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    products?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        products: string[];
                        contacts: {
                            id: string;
                            name: string;
                            email: string;
                            keyFingerprint: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    addCustomerContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** Format: email */
                    email: string;
                    publicKey?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        products: string[];
                        contacts: {
                            id: string;
                            name: string;
                            email: string;
                            keyFingerprint: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    deleteCustomerContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                orgId: string;
                contactId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    updateCustomerContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                orgId: string;
                contactId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    /** Format: email */
                    email?: string;
                    publicKey?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        products: string[];
                        contacts: {
                            id: string;
                            name: string;
                            email: string;
                            keyFingerprint: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getIntakePause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        paused: boolean;
                        pause: {
                            /** @description Shown on the program page and the form, and answered to API and SMTP clients. */
                            message: string;
                            /** @description YYYY-MM-DD in the program calendar, or null. */
                            reopensOn: string | null;
                            /** @description When the pause began, as an ISO-8601 instant. */
                            pausedAt: string;
                        } | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    pauseIntake: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    message: string;
                    /** @description YYYY-MM-DD in the program calendar; omit when no date is promised. */
                    reopensOn?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        paused: boolean;
                        pause: {
                            /** @description Shown on the program page and the form, and answered to API and SMTP clients. */
                            message: string;
                            /** @description YYYY-MM-DD in the program calendar, or null. */
                            reopensOn: string | null;
                            /** @description When the pause began, as an ISO-8601 instant. */
                            pausedAt: string;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    resumeIntake: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        paused: boolean;
                        pause: {
                            /** @description Shown on the program page and the form, and answered to API and SMTP clients. */
                            message: string;
                            /** @description YYYY-MM-DD in the program calendar, or null. */
                            reopensOn: string | null;
                            /** @description When the pause began, as an ISO-8601 instant. */
                            pausedAt: string;
                        } | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    listProgramMembers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        members: {
                            id: string;
                            name: string;
                            email: string;
                            role: string;
                            duties: string[];
                            instanceAdmin?: boolean;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    listPolicies: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        documents: {
                            kind: string;
                            title: string;
                            reviewIntervalDays: number;
                            published: {
                                version: string;
                                effectiveDate: string | null;
                                publishedAt: string;
                            } | null;
                            openVersion: {
                                version: string;
                                /** @enum {string} */
                                state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            } | null;
                            lastReviewedAt: string | null;
                            reviewDueAt: string | null;
                            overdue: boolean;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    createPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    kind: string;
                    title: string;
                    reviewIntervalDays?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    reviewPolicyWithoutChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    approvePolicyReviewWithoutChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    createPolicyDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version?: string;
                    /** @enum {string} */
                    from?: "published";
                    body?: string;
                    changes: string;
                    effectiveDate?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    editPolicyDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body?: string;
                    changes?: string;
                    effectiveDate?: string | null;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    approvePolicyVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    publishPolicyVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    effectiveDate?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    reviewPolicyVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    sendBackPolicyVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description What must change before it is resubmitted. */
                    note: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    submitPolicyVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
                kind: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kind: string;
                        title: string;
                        reviewIntervalDays: number;
                        published: {
                            version: string;
                            effectiveDate: string | null;
                            publishedAt: string;
                        } | null;
                        openVersion: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                        } | null;
                        lastReviewedAt: string | null;
                        reviewDueAt: string | null;
                        overdue: boolean;
                        versions: {
                            version: string;
                            /** @enum {string} */
                            state: "draft" | "in_review" | "approved" | "published" | "superseded";
                            body: string;
                            changes: string;
                            effectiveDate: string | null;
                            author: string;
                            /** @description everyone who wrote or edited it: none of them reviews or approves it */
                            editors: string[];
                            editorIds: string[];
                            createdAt: string;
                            updatedAt: string;
                            submittedAt: string | null;
                            reviewedAt: string | null;
                            reviewedBy: string | null;
                            approvedAt: string | null;
                            approvedBy: string | null;
                            publishedAt: string | null;
                            supersededAt: string | null;
                            sentBackAt: string | null;
                            sentBackBy: string | null;
                            /** @description What the reviewer asked to change, last time it was sent back. */
                            sentBackNote: string | null;
                            sendBacks: {
                                at: string;
                                by: string;
                                note: string;
                            }[];
                        }[];
                        history: {
                            version: string;
                            date: string;
                            changes: string;
                            reviewedBy: string | null;
                            approvedBy: string | null;
                            /** @enum {string} */
                            kind: "version" | "review";
                        }[];
                        pendingReview: {
                            version: string;
                            reviewedAt: string;
                            reviewedBy: string;
                            note: string | null;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    submitReport: {
        parameters: {
            query?: never;
            header?: {
                /** @description The solved challenge when GET /api/v1/programs/{slug}/challenge says `required`: base64 of the JSON `{ "algorithm": "SHA-256", "challenge", "number", "salt", "signature" }` (ALTCHA v1), where `number` is the integer n (0 <= n <= maxnumber) with SHA-256(salt + n) = challenge. Each solution is good for one report, for the program it was issued for, until `expiresAt`. Missing: 400 `proof_required`; forged, expired, spent or for another program: 403 `proof_rejected`. Nothing is stored when refused. */
                "x-vigil-proof"?: string;
            };
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Answers by form field id (see GET /api/v1/programs/{slug}). */
                    fields: {
                        [key: string]: string | string[] | boolean | number;
                    };
                    language?: string;
                };
                "multipart/form-data": {
                    /** @description Answers by form field id (see GET /api/v1/programs/{slug}). */
                    fields: {
                        [key: string]: string | string[] | boolean | number;
                    };
                    language?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        /** @description The private case link. Shown once; keep it secret. */
                        reporterUrl: string;
                        /** @description When the program promises to acknowledge, as an ISO-8601 instant. */
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        timeZone: string;
                    };
                };
            };
            400: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            413: components["responses"]["Error"];
            415: components["responses"]["Error"];
            429: components["responses"]["Error"];
            503: components["responses"]["Error"];
        };
    };
    listRegulatoryClocks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                            caseNumber: string;
                            program: string;
                            productId: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
        };
    };
    listReports: {
        parameters: {
            query?: {
                program?: string;
                /** @description Filter by state; repeat to allow several. */
                state?: ("received" | "acknowledged" | "in_verification" | "confirmed" | "not_reproducible" | "out_of_scope" | "duplicate" | "informational" | "in_remediation" | "disclosed" | "closed" | "invalid") | ("received" | "acknowledged" | "in_verification" | "confirmed" | "not_reproducible" | "out_of_scope" | "duplicate" | "informational" | "in_remediation" | "disclosed" | "closed" | "invalid")[];
                /** @description A user id, `me` or `none` (unassigned). */
                assignee?: "me" | "none" | string;
                /** @description Filter by severity; repeat to allow several. */
                severity?: ("none" | "low" | "medium" | "high" | "critical") | ("none" | "low" | "medium" | "high" | "critical")[];
                /** @description A product id of the program's scope. */
                product?: string;
                sort?: "deadline" | "received" | "triage";
                /** @description `nextCursor` of the previous page (same sort). */
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            caseNumber: string;
                            program: string;
                            state: string;
                            channel: string;
                            receivedAt: string;
                            acknowledgeBy: string;
                            deadlines: {
                                [key: string]: string;
                            };
                            severity: string | null;
                            product: string | null;
                            assignee: {
                                id: string;
                                name: string;
                                email: string;
                            } | null;
                            /** @description The earliest due instant among the running clocks. */
                            nextDueAt: string | null;
                            clocks: {
                                /** @enum {string} */
                                name: "acknowledge" | "verify" | "summary";
                                due: string;
                                stoppedAt: string | null;
                                /**
                                 * @description `not-applicable`: a triage outcome (invalid / spam, forwarded to support) closed the case before the step; `reason` names it.
                                 * @enum {string}
                                 */
                                state: "running" | "met" | "breached" | "stopped-late" | "not-applicable";
                                /** @description Only on a `not-applicable` clock: the triage outcome. */
                                reason?: string;
                                /** @description Business days left in the program's calendar (negative: overdue); frozen at the stop once stopped. */
                                businessDaysLeft: number;
                                /** @description Wall time since receipt over wall time from receipt to due; > 1 past due. */
                                fractionUsed: number;
                            }[];
                            /** @description True while any part of the case is held in PHI quarantine. */
                            phi: boolean;
                            /** @description True while the reporter's words say they reached PHI or personal data and the team has not decided on a privacy escalation. */
                            phiClaim: boolean;
                            /** @description Why the case is urgent: `phi-accessed` (the reporter answered that they reached PHI); null otherwise. */
                            urgent: string | null;
                            /** @description The earliest due instant among the running regulatory clocks of the case; null when none runs. */
                            regulatoryDueAt: string | null;
                            /** @description Quality signals computed on arrival (they never close or answer a case); null for cases from before signals existed. */
                            signals: {
                                /** @description The triage score, 0–100: higher means triage sooner. */
                                score: number;
                                computedAt: string;
                                /** @description Every explanation in one line, e.g. "no version named; 0 in-scope endpoints mentioned". */
                                summary: string;
                                items: {
                                    /** @enum {string} */
                                    kind: "product" | "version" | "reproduction" | "components" | "similar" | "outOfScope" | "aiUse" | "standing";
                                    /** @enum {string} */
                                    tone: "good" | "bad" | "neutral";
                                    /** @description What this signal added to (or took from) the triage score. */
                                    points: number;
                                    /** @description The signal in words; never the report text. */
                                    explanation: string;
                                }[];
                                /** @description The most similar case of the program on arrival (above the suggestion threshold), or null. */
                                similar: {
                                    caseNumber: string;
                                    score: number;
                                } | null;
                                /** @description Ids of the program's out-of-scope categories the text matches. */
                                outOfScope: string[];
                                /** @description The reporter's answer to the AI-use question (an option value), or null. */
                                aiUse: string | null;
                                /** @description The reporter's earlier reports in this program on arrival, by outcome; keyed by a keyed hash, never the address. Null without an address or key. */
                                standing: {
                                    /**
                                     * @description How the reporter was recognised: a key whose signature verified, or an address as given (unverified).
                                     * @enum {string}
                                     */
                                    basis: "signing-key" | "address";
                                    earlier: number;
                                    /** @description Earlier reports by the state each was in on arrival. */
                                    byOutcome: {
                                        [key: string]: number;
                                    };
                                } | null;
                            } | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    applyBulkCaseAction: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The cases, each at most once; 1 to 100. */
                    caseNumbers: string[];
                    /**
                     * @description `mark_invalid`: close as invalid / spam; `request_info`: ask the reporters (the state stays); `forward_to_support`: send the support contact and close.
                     * @enum {string}
                     */
                    action: "mark_invalid" | "request_info" | "forward_to_support";
                    /** @description The one reply template: the question itself for `request_info` (required there), a note under the standard answer otherwise. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Named by every audit entry of this request. */
                        bulkId: string;
                        /** @enum {string} */
                        action: "mark_invalid" | "request_info" | "forward_to_support";
                        succeeded: number;
                        failed: number;
                        /** @description One per case, in the order given. */
                        results: ({
                            caseNumber: string;
                            /** @enum {boolean} */
                            ok: true;
                            case: {
                                caseNumber: string;
                                program: string;
                                state: string;
                                receivedAt: string;
                                acknowledgeBy: string;
                                deadlines: {
                                    [key: string]: string;
                                };
                                assignee: {
                                    id: string;
                                    email: string;
                                    name: string;
                                } | null;
                                contactPerson: string | null;
                                acknowledgedAt: string | null;
                                verifiedAt: string | null;
                                summarySentAt: string | null;
                                closedAt: string | null;
                                stateChangedAt: string | null;
                                duplicateOf: string | null;
                                outOfScopeCategory: string | null;
                                /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                                triageOutcome: string | null;
                            };
                        } | {
                            caseNumber: string;
                            /** @enum {boolean} */
                            ok: false;
                            /** @description What the single-case action would have answered: 404 (no such case for you), 409 (illegal in its state), … */
                            status: number;
                            error: string;
                            message: string;
                        })[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    getReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        channel: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        severity: string | null;
                        product: string | null;
                        assignee: {
                            id: string;
                            name: string;
                            email: string;
                        } | null;
                        /** @description The earliest due instant among the running clocks. */
                        nextDueAt: string | null;
                        clocks: {
                            /** @enum {string} */
                            name: "acknowledge" | "verify" | "summary";
                            due: string;
                            stoppedAt: string | null;
                            /**
                             * @description `not-applicable`: a triage outcome (invalid / spam, forwarded to support) closed the case before the step; `reason` names it.
                             * @enum {string}
                             */
                            state: "running" | "met" | "breached" | "stopped-late" | "not-applicable";
                            /** @description Only on a `not-applicable` clock: the triage outcome. */
                            reason?: string;
                            /** @description Business days left in the program's calendar (negative: overdue); frozen at the stop once stopped. */
                            businessDaysLeft: number;
                            /** @description Wall time since receipt over wall time from receipt to due; > 1 past due. */
                            fractionUsed: number;
                        }[];
                        /** @description The PHI guard on the case: counts of parts by state (details at `…/quarantine`). */
                        phi: {
                            /** @description Some part is held in quarantine. */
                            flagged: boolean;
                            quarantined: number;
                            redacted: number;
                            released: number;
                            /** @description The caller holds the privacy duty in the program and sees held parts. */
                            canReview: boolean;
                        };
                        /** @description The reporter's words saying they reached PHI (details at `…/phi-access-claim`): pending until the team opens an escalation or declines; null when none were found. */
                        phiClaim: {
                            pending: boolean;
                        } | null;
                        /** @description Why the case is urgent (`phi-accessed`), or null. */
                        urgent: string | null;
                        /** @description The earliest due instant among the running regulatory clocks of the case; null when none runs. */
                        regulatoryDueAt: string | null;
                        /** @description Quality signals computed on arrival (they never close or answer a case); null for cases from before signals existed. */
                        signals: {
                            /** @description The triage score, 0–100: higher means triage sooner. */
                            score: number;
                            computedAt: string;
                            /** @description Every explanation in one line, e.g. "no version named; 0 in-scope endpoints mentioned". */
                            summary: string;
                            items: {
                                /** @enum {string} */
                                kind: "product" | "version" | "reproduction" | "components" | "similar" | "outOfScope" | "aiUse" | "standing";
                                /** @enum {string} */
                                tone: "good" | "bad" | "neutral";
                                /** @description What this signal added to (or took from) the triage score. */
                                points: number;
                                /** @description The signal in words; never the report text. */
                                explanation: string;
                            }[];
                            /** @description The most similar case of the program on arrival (above the suggestion threshold), or null. */
                            similar: {
                                caseNumber: string;
                                score: number;
                            } | null;
                            /** @description Ids of the program's out-of-scope categories the text matches. */
                            outOfScope: string[];
                            /** @description The reporter's answer to the AI-use question (an option value), or null. */
                            aiUse: string | null;
                            /** @description The reporter's earlier reports in this program on arrival, by outcome; keyed by a keyed hash, never the address. Null without an address or key. */
                            standing: {
                                /**
                                 * @description How the reporter was recognised: a key whose signature verified, or an address as given (unverified).
                                 * @enum {string}
                                 */
                                basis: "signing-key" | "address";
                                earlier: number;
                                /** @description Earlier reports by the state each was in on arrival. */
                                byOutcome: {
                                    [key: string]: number;
                                };
                            } | null;
                        } | null;
                        /** @description The person named to the reporter as their contact when the case was acknowledged. */
                        contactPerson: string | null;
                        language: string;
                        /** @description How the report arrived: channel, decryption and signature status (no content). */
                        intake: {
                            channel?: string;
                            decryption?: string;
                            failure?: string;
                            signature?: {
                                status: string;
                                keyId?: string;
                                fingerprint?: string;
                            };
                            messageId?: string;
                            senderKey?: string;
                            flags?: string[];
                            attachments?: {
                                stored?: number;
                                decrypted?: number;
                                failed?: string[];
                                dropped?: number;
                            };
                        };
                        content: {
                            [key: string]: string | string[] | boolean;
                        };
                        /** @description The reporter's contact details. Present only for the case team (admin, lead or handler of the program); omitted for viewers. Its presence is what the audit records as a contact read. */
                        contact?: {
                            [key: string]: string | string[] | boolean;
                        };
                        attachments: {
                            id: string;
                            name: string;
                            size: number;
                            contentType: string;
                            createdAt: string;
                            messageId: string | null;
                            /** @description Held in PHI quarantine: without the privacy duty the name reads "quarantined attachment" and the download answers 403 `quarantined`. */
                            quarantined: boolean;
                            /** @description Destroyed by an approved redaction: a tombstone without name or content. */
                            redacted: boolean;
                        }[];
                        messages: {
                            id: string;
                            author: string;
                            visibility: string;
                            /** @description Empty for a message held in PHI quarantine, unless `phi.canReview`. */
                            body: string;
                            createdAt: string;
                            quarantined: boolean;
                        }[];
                        /** @description Ids of content fields held in quarantine; left out of `content` unless `phi.canReview`. */
                        quarantine: {
                            fields: string[];
                        };
                        /** @description The privacy escalation opened when the reporter said they reached PHI or personal data (details at `…/privacy-escalation`); null when there is none. */
                        privacyEscalation: {
                            dueAt: string;
                            open: boolean;
                        } | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    acknowledgeCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    contactPerson: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getAdverseEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        number: string;
                        caseNumber: string;
                        program: string;
                        productId: string | null;
                        openedAt: string;
                        reasons: string[];
                        patientSafety: {
                            severity: string;
                            exploitability: string;
                            risk: string;
                        } | null;
                        reportability: {
                            clocks: {
                                duty: string;
                                regulation: string;
                                article: string;
                                /** @enum {string} */
                                state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                                dueAt: string | null;
                                reference: string | null;
                            }[];
                            decisions: {
                                /** @enum {string} */
                                regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                                state: string;
                                decidedAt: string;
                                reviewedAt: string | null;
                            }[];
                        };
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    getAssessment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cvss31?: {
                            vector: string;
                            baseScore: number;
                            score: number;
                            /** @enum {string} */
                            severity: "none" | "low" | "medium" | "high" | "critical";
                            nomenclature?: string;
                        };
                        cvss40?: {
                            vector: string;
                            baseScore: number;
                            score: number;
                            /** @enum {string} */
                            severity: "none" | "low" | "medium" | "high" | "critical";
                            nomenclature?: string;
                        };
                        cwe?: {
                            id: string;
                            name: string;
                        };
                        ssvc?: {
                            /** @enum {string} */
                            exploitation: "none" | "public-poc" | "active";
                            /** @enum {string} */
                            utility: "laborious" | "efficient" | "super-effective";
                            /** @enum {string} */
                            technicalImpact: "partial" | "total";
                            /** @enum {string} */
                            publicSafetyImpact: "minimal" | "significant";
                            /** @enum {string} */
                            decision: "defer" | "scheduled" | "out-of-cycle" | "immediate";
                        };
                        patientSafety?: {
                            /** @enum {string} */
                            severity: "negligible" | "minor" | "serious" | "critical" | "catastrophic";
                            phiInvolved?: boolean;
                            notes?: string;
                            /** @enum {string} */
                            exploitability: "low" | "medium" | "high" | "unknown";
                            /** @enum {string} */
                            risk: "controlled" | "uncontrolled";
                            /** @description FDA's 30-day customer notice and 60-day fix clocks, for an uncontrolled risk. */
                            fda?: {
                                learnedOn: string;
                                notifyCustomersBy: string;
                                notifyCustomersDueAt: string;
                                distributeFixBy: string;
                                distributeFixDueAt: string;
                            };
                        };
                        affected: {
                            productId: string;
                            productName: string;
                            versions: string;
                            fixedIn?: string;
                        }[];
                        remediationTargetDate?: string;
                        severity: ("none" | "low" | "medium" | "high" | "critical") | null;
                        warnings: string[];
                        updatedAt: string | null;
                        updatedBy: string | null;
                        caseNumber: string;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    saveAssessment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        /** @description The whole assessment: PUT replaces it, so a part left out is removed. */
        requestBody: {
            content: {
                "application/json": {
                    /** @description A CVSS 3.1 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H */
                    cvss31?: string;
                    /** @description A CVSS 4.0 vector, e.g. CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N */
                    cvss40?: string;
                    /** @description A CWE id from the catalogue, e.g. CWE-79 (or 79). */
                    cwe?: string;
                    /** @description SSVC supplier decision points. */
                    ssvc?: {
                        /** @enum {string} */
                        exploitation: "none" | "public-poc" | "active";
                        /** @enum {string} */
                        utility: "laborious" | "efficient" | "super-effective";
                        /** @enum {string} */
                        technicalImpact: "partial" | "total";
                        /** @enum {string} */
                        publicSafetyImpact: "minimal" | "significant";
                    };
                    patientSafety?: {
                        /**
                         * @description Severity of potential patient harm (ISO 14971).
                         * @enum {string}
                         */
                        severity: "negligible" | "minor" | "serious" | "critical" | "catastrophic";
                        phiInvolved?: boolean;
                        notes?: string;
                    };
                    affected?: {
                        productId: string;
                        versions: string;
                        fixedIn?: string;
                    }[];
                    /** @description YYYY-MM-DD */
                    remediationTargetDate?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cvss31?: {
                            vector: string;
                            baseScore: number;
                            score: number;
                            /** @enum {string} */
                            severity: "none" | "low" | "medium" | "high" | "critical";
                            nomenclature?: string;
                        };
                        cvss40?: {
                            vector: string;
                            baseScore: number;
                            score: number;
                            /** @enum {string} */
                            severity: "none" | "low" | "medium" | "high" | "critical";
                            nomenclature?: string;
                        };
                        cwe?: {
                            id: string;
                            name: string;
                        };
                        ssvc?: {
                            /** @enum {string} */
                            exploitation: "none" | "public-poc" | "active";
                            /** @enum {string} */
                            utility: "laborious" | "efficient" | "super-effective";
                            /** @enum {string} */
                            technicalImpact: "partial" | "total";
                            /** @enum {string} */
                            publicSafetyImpact: "minimal" | "significant";
                            /** @enum {string} */
                            decision: "defer" | "scheduled" | "out-of-cycle" | "immediate";
                        };
                        patientSafety?: {
                            /** @enum {string} */
                            severity: "negligible" | "minor" | "serious" | "critical" | "catastrophic";
                            phiInvolved?: boolean;
                            notes?: string;
                            /** @enum {string} */
                            exploitability: "low" | "medium" | "high" | "unknown";
                            /** @enum {string} */
                            risk: "controlled" | "uncontrolled";
                            /** @description FDA's 30-day customer notice and 60-day fix clocks, for an uncontrolled risk. */
                            fda?: {
                                learnedOn: string;
                                notifyCustomersBy: string;
                                notifyCustomersDueAt: string;
                                distributeFixBy: string;
                                distributeFixDueAt: string;
                            };
                        };
                        affected: {
                            productId: string;
                            productName: string;
                            versions: string;
                            fixedIn?: string;
                        }[];
                        remediationTargetDate?: string;
                        severity: ("none" | "low" | "medium" | "high" | "critical") | null;
                        warnings: string[];
                        updatedAt: string | null;
                        updatedBy: string | null;
                        caseNumber: string;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    assignCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    userId?: string | null;
                    email?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    downloadAttachment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                attachmentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    closeCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Added to the standard answer the reporter gets. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    confirmCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getCreditConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        /** @description Whether the program credits reporters at all. */
                        offered: boolean;
                        /** @description Where the case stands: the latest answer, or what the form said. */
                        current: {
                            /** @enum {string} */
                            status: "given";
                            text: string;
                        } | {
                            /** @enum {string} */
                            status: "declined";
                        } | {
                            /** @enum {string} */
                            status: "unanswered";
                        };
                        history: {
                            /** @enum {string} */
                            choice: "given" | "declined";
                            /** @description The credit in the reporter’s words, for a `given`. */
                            text: string | null;
                            /** @enum {string} */
                            via: "form" | "private-page" | "mail-reply" | "staff";
                            recordedAt: string;
                            /** @description The staff member who recorded it; null when the reporter did. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description How the reporter gave it, for a consent recorded by staff. */
                            evidence: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    recordCreditConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    choice: "given" | "declined";
                    /** @description The credit exactly as the reporter wants it to read (required for `given`). */
                    text?: string;
                    /** @description How the reporter gave it (a call, a letter): stored sealed, never in the audit log. */
                    evidence: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        /** @description Whether the program credits reporters at all. */
                        offered: boolean;
                        /** @description Where the case stands: the latest answer, or what the form said. */
                        current: {
                            /** @enum {string} */
                            status: "given";
                            text: string;
                        } | {
                            /** @enum {string} */
                            status: "declined";
                        } | {
                            /** @enum {string} */
                            status: "unanswered";
                        };
                        history: {
                            /** @enum {string} */
                            choice: "given" | "declined";
                            /** @description The credit in the reporter’s words, for a `given`. */
                            text: string | null;
                            /** @enum {string} */
                            via: "form" | "private-page" | "mail-reply" | "staff";
                            recordedAt: string;
                            /** @description The staff member who recorded it; null when the reporter did. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description How the reporter gave it, for a consent recorded by staff. */
                            evidence: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    markCaseDuplicate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    of: string;
                    /** @description Added to the standard answer the reporter gets. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    exportReport: {
        parameters: {
            query?: {
                format?: "json" | "md";
            };
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export (`format=json`); `format=md` renders the same as markdown. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        format: "vigil-case-export";
                        /** @enum {number} */
                        version: 1;
                        exportedAt: string;
                        exportedBy: {
                            userId: string;
                            email: string;
                        };
                        case: {
                            caseNumber: string;
                            program: string;
                            state: string;
                            channel: string;
                            receivedAt: string;
                            language: string;
                            severity: string | null;
                            product: string | null;
                            assignee: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            contactPerson: string | null;
                            intake: {
                                channel?: string;
                                decryption?: string;
                                failure?: string;
                                signature?: {
                                    status: string;
                                    keyId?: string;
                                    fingerprint?: string;
                                };
                                messageId?: string;
                                senderKey?: string;
                                flags?: string[];
                                attachments?: {
                                    stored?: number;
                                    decrypted?: number;
                                    failed?: string[];
                                    dropped?: number;
                                };
                            };
                        };
                        deadlines: {
                            acknowledgeBy: string;
                            due: {
                                [key: string]: string;
                            };
                            nextDueAt: string | null;
                            clocks: {
                                name: string;
                                due: string;
                                stoppedAt: string | null;
                                state: string;
                                businessDaysLeft: number;
                            }[];
                        };
                        history: {
                            at: string;
                            /** @enum {string} */
                            type: "action" | "assignment";
                            action: string | null;
                            from: string | null;
                            to: string | null;
                            by: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                        }[];
                        content: {
                            [key: string]: string | string[] | boolean;
                        };
                        contact?: {
                            [key: string]: string | string[] | boolean;
                        };
                        messages: {
                            id: string;
                            at: string;
                            /** @enum {string} */
                            author: "reporter" | "staff";
                            staff: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            visibility: "reporter" | "internal";
                            body: string;
                            quarantined: boolean;
                            withheld: boolean;
                        }[];
                        attachments: {
                            id: string;
                            name: string;
                            size: number;
                            contentType: string;
                            createdAt: string;
                            messageId: string | null;
                            sha256: string | null;
                            quarantined: boolean;
                            redacted: boolean;
                            withheld: boolean;
                        }[];
                        assessment: {
                            [key: string]: unknown;
                        };
                        privacyEscalation: {
                            reason: string;
                            openedAt: string;
                            dueAt: string;
                            open: boolean;
                            closedAt: string | null;
                            closedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            checklist: {
                                id: string;
                                label: string;
                                done: boolean;
                                doneBy: {
                                    id: string;
                                    email: string;
                                    name: string;
                                } | null;
                                doneAt: string | null;
                            }[];
                        } | null;
                        regulatory: {
                            triggers: {
                                [key: string]: unknown;
                            }[];
                            clocks: {
                                [key: string]: unknown;
                            }[];
                            decisions: {
                                [key: string]: unknown;
                            }[];
                            fdaException: {
                                applies: boolean;
                                lost: string[];
                            } | null;
                            adverseEvent: {
                                number: string;
                                openedAt: string;
                                reasons: string[];
                            } | null;
                        };
                        quarantine: {
                            canReview: boolean;
                            counts: {
                                quarantined: number;
                                redacted: number;
                                released: number;
                            };
                            held: {
                                /** @enum {string} */
                                kind: "field" | "message" | "attachment";
                                ref: string;
                            }[];
                        };
                        withheld: {
                            contact: boolean;
                            fields: string[];
                            messages: string[];
                            attachments: string[];
                        };
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    forwardCaseToSupport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Added to the standard answer the reporter gets. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    markCaseInformational: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Added to the standard answer the reporter gets. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    markCaseDisclosed: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    markCaseInvalid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Added to the standard answer the reporter gets. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    addCaseMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body: string;
                    /** @enum {string} */
                    visibility: "reporter" | "internal";
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        messageId: string;
                        /** @enum {string} */
                        visibility: "reporter" | "internal";
                        case: {
                            caseNumber: string;
                            program: string;
                            state: string;
                            receivedAt: string;
                            acknowledgeBy: string;
                            deadlines: {
                                [key: string]: string;
                            };
                            assignee: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            contactPerson: string | null;
                            acknowledgedAt: string | null;
                            verifiedAt: string | null;
                            summarySentAt: string | null;
                            closedAt: string | null;
                            stateChangedAt: string | null;
                            duplicateOf: string | null;
                            outOfScopeCategory: string | null;
                            /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                            triageOutcome: string | null;
                        };
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    markCaseNotReproducible: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Added to the standard answer the reporter gets. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    markCaseOutOfScope: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description One of the program's `scope.outOfScope[].id`. */
                    category: string;
                    /** @description Added to the standard answer the reporter gets. */
                    message?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getPhiAccessClaim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        detectedAt: string;
                        /** @description Where the reporter’s words say they reached PHI or personal data. */
                        findings: {
                            /** @description The report field id, or `message:<id>` for a later message. */
                            where: string;
                            language: string;
                            /** @description The sentence that says it; null when that part is held in PHI quarantine from you. */
                            excerpt: string | null;
                        }[];
                        /** @description null while the team has not decided. */
                        decision: ("escalated" | "declined") | null;
                        decidedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        decidedAt: string | null;
                        /** @description Why the team declined. */
                        note: string | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    declinePhiAccessClaim: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Stored sealed on the case; the audit log records only that a reason was given. */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        detectedAt: string;
                        /** @description Where the reporter’s words say they reached PHI or personal data. */
                        findings: {
                            /** @description The report field id, or `message:<id>` for a later message. */
                            where: string;
                            language: string;
                            /** @description The sentence that says it; null when that part is held in PHI quarantine from you. */
                            excerpt: string | null;
                        }[];
                        /** @description null while the team has not decided. */
                        decision: ("escalated" | "declined") | null;
                        decidedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        decidedAt: string | null;
                        /** @description Why the team declined. */
                        note: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getPrivacyEscalation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        /** @description Why it was opened: `reporter-accessed-phi` (the form’s answer), `reporter-stated-phi` (the team acted on the reporter’s words) or `staff-opened`. */
                        reason: string;
                        openedAt: string;
                        /** @description Who opened it by hand; null when the reporter’s answer did. */
                        openedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        /** @description Why it was opened by hand. */
                        openNote: string | null;
                        /** @description Why it was closed before its checklist was done. */
                        closeNote: string | null;
                        /** @description The end of the escalation's last calendar day, in the program's zone. */
                        dueAt: string;
                        open: boolean;
                        closedAt: string | null;
                        closedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        checklist: {
                            /** @enum {string} */
                            id: "assess-access" | "identify-affected" | "decide-notification" | "reporter-deletion" | "record-outcome";
                            label: string;
                            done: boolean;
                            /** @description Who last set the item. */
                            doneBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            doneAt: string | null;
                            note: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    openPrivacyEscalation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Stored sealed on the case; the audit log records only that a reason was given. */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        /** @description Why it was opened: `reporter-accessed-phi` (the form’s answer), `reporter-stated-phi` (the team acted on the reporter’s words) or `staff-opened`. */
                        reason: string;
                        openedAt: string;
                        /** @description Who opened it by hand; null when the reporter’s answer did. */
                        openedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        /** @description Why it was opened by hand. */
                        openNote: string | null;
                        /** @description Why it was closed before its checklist was done. */
                        closeNote: string | null;
                        /** @description The end of the escalation's last calendar day, in the program's zone. */
                        dueAt: string;
                        open: boolean;
                        closedAt: string | null;
                        closedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        checklist: {
                            /** @enum {string} */
                            id: "assess-access" | "identify-affected" | "decide-notification" | "reporter-deletion" | "record-outcome";
                            label: string;
                            done: boolean;
                            /** @description Who last set the item. */
                            doneBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            doneAt: string | null;
                            note: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    setPrivacyEscalationItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                item: "assess-access" | "identify-affected" | "decide-notification" | "reporter-deletion" | "record-outcome";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    done: boolean;
                    /** @description Replaces the item’s previous note; stored sealed, never in the audit log. */
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        /** @description Why it was opened: `reporter-accessed-phi` (the form’s answer), `reporter-stated-phi` (the team acted on the reporter’s words) or `staff-opened`. */
                        reason: string;
                        openedAt: string;
                        /** @description Who opened it by hand; null when the reporter’s answer did. */
                        openedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        /** @description Why it was opened by hand. */
                        openNote: string | null;
                        /** @description Why it was closed before its checklist was done. */
                        closeNote: string | null;
                        /** @description The end of the escalation's last calendar day, in the program's zone. */
                        dueAt: string;
                        open: boolean;
                        closedAt: string | null;
                        closedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        checklist: {
                            /** @enum {string} */
                            id: "assess-access" | "identify-affected" | "decide-notification" | "reporter-deletion" | "record-outcome";
                            label: string;
                            done: boolean;
                            /** @description Who last set the item. */
                            doneBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            doneAt: string | null;
                            note: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    closePrivacyEscalation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Stored sealed on the case; the audit log records only that a reason was given. */
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        /** @description Why it was opened: `reporter-accessed-phi` (the form’s answer), `reporter-stated-phi` (the team acted on the reporter’s words) or `staff-opened`. */
                        reason: string;
                        openedAt: string;
                        /** @description Who opened it by hand; null when the reporter’s answer did. */
                        openedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        /** @description Why it was opened by hand. */
                        openNote: string | null;
                        /** @description Why it was closed before its checklist was done. */
                        closeNote: string | null;
                        /** @description The end of the escalation's last calendar day, in the program's zone. */
                        dueAt: string;
                        open: boolean;
                        closedAt: string | null;
                        closedBy: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        checklist: {
                            /** @enum {string} */
                            id: "assess-access" | "identify-affected" | "decide-notification" | "reporter-deletion" | "record-outcome";
                            label: string;
                            done: boolean;
                            /** @description Who last set the item. */
                            doneBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            doneAt: string | null;
                            note: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getQuarantine: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        parts: {
                            id: string;
                            /** @enum {string} */
                            kind: "field" | "message" | "attachment";
                            /** @description The field id, message id or attachment id. */
                            ref: string;
                            /** @description Field label, "Message of <date>", or the file name. */
                            label: string;
                            /** @enum {string} */
                            state: "quarantined" | "released" | "redacted";
                            kinds: ("name-with-birth-date" | "medical-record-number" | "health-plan-number" | "ssn" | "phone" | "fax" | "patient-email" | "street-address" | "fhir-patient" | "hl7-pid" | "dicom-patient" | "csv-patient-columns" | "patient-table" | "patient-record" | "dicom-dump" | "national-health-id" | "person-clinical")[];
                            /** @description Attachments: decrypted bytes the guard read. */
                            scannedBytes?: number;
                            /** @description Attachments: the guard stopped at its cap (16 MiB). */
                            truncated?: boolean;
                            /** @description Computed from the content on each read for parts not redacted; never stored. */
                            findings: {
                                kind: string;
                                label: string;
                                /** @description Masked: never the full identifier. */
                                excerpt: string;
                                start: number;
                                end: number;
                                /** @enum {string} */
                                unit: "char" | "byte";
                            }[];
                            detectedAt: string;
                            resolvedAt: string | null;
                            resolvedBy: {
                                id: string;
                                name: string;
                                email: string;
                            } | null;
                        }[];
                        redactions: {
                            id: string;
                            /** @enum {string} */
                            state: "proposed" | "applied" | "rejected";
                            reason: string;
                            parts: {
                                /** @enum {string} */
                                kind: "field" | "message" | "attachment";
                                ref: string;
                                /** @description How many spans (offsets are not repeated here). */
                                spans?: number;
                                /** @enum {boolean} */
                                whole?: true;
                            }[];
                            proposedBy: {
                                id: string;
                                name: string;
                                email: string;
                            };
                            proposedAt: string;
                            decidedBy: {
                                id: string;
                                name: string;
                                email: string;
                            } | null;
                            decidedAt: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    releaseQuarantinedPart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                partId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        kind: "field" | "message" | "attachment";
                        /** @description The field id, message id or attachment id. */
                        ref: string;
                        /** @description Field label, "Message of <date>", or the file name. */
                        label: string;
                        /** @enum {string} */
                        state: "quarantined" | "released" | "redacted";
                        kinds: ("name-with-birth-date" | "medical-record-number" | "health-plan-number" | "ssn" | "phone" | "fax" | "patient-email" | "street-address" | "fhir-patient" | "hl7-pid" | "dicom-patient" | "csv-patient-columns" | "patient-table" | "patient-record" | "dicom-dump" | "national-health-id" | "person-clinical")[];
                        /** @description Attachments: decrypted bytes the guard read. */
                        scannedBytes?: number;
                        /** @description Attachments: the guard stopped at its cap (16 MiB). */
                        truncated?: boolean;
                        /** @description Computed from the content on each read for parts not redacted; never stored. */
                        findings: {
                            kind: string;
                            label: string;
                            /** @description Masked: never the full identifier. */
                            excerpt: string;
                            start: number;
                            end: number;
                            /** @enum {string} */
                            unit: "char" | "byte";
                        }[];
                        detectedAt: string;
                        resolvedAt: string | null;
                        resolvedBy: {
                            id: string;
                            name: string;
                            email: string;
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    proposeRedaction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                    parts: ({
                        /** @enum {string} */
                        kind: "field" | "message";
                        ref: string;
                        /** @description UTF-16 offsets into the text, in order, non-overlapping. */
                        spans: {
                            start: number;
                            end: number;
                        }[];
                    } | {
                        /** @enum {string} */
                        kind: "attachment";
                        ref: string;
                        /** @enum {boolean} */
                        whole: true;
                    })[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "proposed" | "applied" | "rejected";
                        reason: string;
                        parts: {
                            /** @enum {string} */
                            kind: "field" | "message" | "attachment";
                            ref: string;
                            /** @description How many spans (offsets are not repeated here). */
                            spans?: number;
                            /** @enum {boolean} */
                            whole?: true;
                        }[];
                        proposedBy: {
                            id: string;
                            name: string;
                            email: string;
                        };
                        proposedAt: string;
                        decidedBy: {
                            id: string;
                            name: string;
                            email: string;
                        } | null;
                        decidedAt: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    approveRedaction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                redactionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "proposed" | "applied" | "rejected";
                        reason: string;
                        parts: {
                            /** @enum {string} */
                            kind: "field" | "message" | "attachment";
                            ref: string;
                            /** @description How many spans (offsets are not repeated here). */
                            spans?: number;
                            /** @enum {boolean} */
                            whole?: true;
                        }[];
                        proposedBy: {
                            id: string;
                            name: string;
                            email: string;
                        };
                        proposedAt: string;
                        decidedBy: {
                            id: string;
                            name: string;
                            email: string;
                        } | null;
                        decidedAt: string | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    rejectRedaction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                redactionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "proposed" | "applied" | "rejected";
                        reason: string;
                        parts: {
                            /** @enum {string} */
                            kind: "field" | "message" | "attachment";
                            ref: string;
                            /** @description How many spans (offsets are not repeated here). */
                            spans?: number;
                            /** @enum {boolean} */
                            whole?: true;
                        }[];
                        proposedBy: {
                            id: string;
                            name: string;
                            email: string;
                        };
                        proposedAt: string;
                        decidedBy: {
                            id: string;
                            name: string;
                            email: string;
                        } | null;
                        decidedAt: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getRegulatory: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        timeZone: string;
                        product: {
                            id: string;
                            name: string;
                        } | null;
                        profile: {
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                            summary: string[];
                        } | null;
                        availableTriggers: {
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                        }[];
                        triggers: {
                            id: string;
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            productId: string;
                            awareAt: string;
                            recordedAt: string;
                            /** @description Null when the assessment recorded it. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            source: "staff" | "assessment";
                            reason: string | null;
                            individualsAffected: number | null;
                            residentsOfOneState: number | null;
                            outcome: ("serious-injury" | "death" | "public-health-threat") | null;
                            remedialAction: boolean | null;
                            measureAvailableAt: string | null;
                        }[];
                        clocks: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                        }[];
                        decisions: {
                            id: string;
                            triggerId: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            articles: string[];
                            reason: string;
                            /** @enum {string} */
                            state: "proposed" | "approved" | "rejected";
                            decidedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            decidedAt: string;
                            reviewedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            reviewedAt: string | null;
                            reviewNote: string | null;
                        }[];
                        /** @description FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one. */
                        fdaException: {
                            applies: boolean;
                            lost: string[];
                        } | null;
                        adverseEvent: {
                            number: string;
                            openedAt: string;
                            reasons: string[];
                        } | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    getRegulatoryReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                clockId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        clockId: string;
                        /** @enum {string} */
                        reportKind: "cra-vulnerability-early-warning" | "cra-vulnerability-notification" | "cra-vulnerability-final" | "cra-incident-early-warning" | "cra-incident-notification" | "cra-incident-final" | "fda-customer-communication" | "fda-isao-share" | "fda-remediation" | "hipaa-individuals" | "hipaa-hhs" | "hipaa-media" | "hipaa-covered-entity" | "gdpr-authority" | "gdpr-controller" | "vigilance";
                        title: string;
                        text: string;
                        json: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    submitRegulatoryReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                clockId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reference: string;
                    /**
                     * Format: date-time
                     * @description When it was submitted; now when absent.
                     */
                    submittedAt?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        timeZone: string;
                        product: {
                            id: string;
                            name: string;
                        } | null;
                        profile: {
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                            summary: string[];
                        } | null;
                        availableTriggers: {
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                        }[];
                        triggers: {
                            id: string;
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            productId: string;
                            awareAt: string;
                            recordedAt: string;
                            /** @description Null when the assessment recorded it. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            source: "staff" | "assessment";
                            reason: string | null;
                            individualsAffected: number | null;
                            residentsOfOneState: number | null;
                            outcome: ("serious-injury" | "death" | "public-health-threat") | null;
                            remedialAction: boolean | null;
                            measureAvailableAt: string | null;
                        }[];
                        clocks: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                        }[];
                        decisions: {
                            id: string;
                            triggerId: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            articles: string[];
                            reason: string;
                            /** @enum {string} */
                            state: "proposed" | "approved" | "rejected";
                            decidedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            decidedAt: string;
                            reviewedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            reviewedAt: string | null;
                            reviewNote: string | null;
                        }[];
                        /** @description FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one. */
                        fdaException: {
                            applies: boolean;
                            lost: string[];
                        } | null;
                        adverseEvent: {
                            number: string;
                            openedAt: string;
                            reasons: string[];
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    proposeNotReportable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    triggerId: string;
                    /** @enum {string} */
                    regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                    /** @description Why it is not reportable. Stored sealed; the audit log records only that one was given. */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        timeZone: string;
                        product: {
                            id: string;
                            name: string;
                        } | null;
                        profile: {
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                            summary: string[];
                        } | null;
                        availableTriggers: {
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                        }[];
                        triggers: {
                            id: string;
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            productId: string;
                            awareAt: string;
                            recordedAt: string;
                            /** @description Null when the assessment recorded it. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            source: "staff" | "assessment";
                            reason: string | null;
                            individualsAffected: number | null;
                            residentsOfOneState: number | null;
                            outcome: ("serious-injury" | "death" | "public-health-threat") | null;
                            remedialAction: boolean | null;
                            measureAvailableAt: string | null;
                        }[];
                        clocks: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                        }[];
                        decisions: {
                            id: string;
                            triggerId: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            articles: string[];
                            reason: string;
                            /** @enum {string} */
                            state: "proposed" | "approved" | "rejected";
                            decidedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            decidedAt: string;
                            reviewedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            reviewedAt: string | null;
                            reviewNote: string | null;
                        }[];
                        /** @description FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one. */
                        fdaException: {
                            applies: boolean;
                            lost: string[];
                        } | null;
                        adverseEvent: {
                            number: string;
                            openedAt: string;
                            reasons: string[];
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    approveNotReportable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                decisionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never> | null;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        timeZone: string;
                        product: {
                            id: string;
                            name: string;
                        } | null;
                        profile: {
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                            summary: string[];
                        } | null;
                        availableTriggers: {
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                        }[];
                        triggers: {
                            id: string;
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            productId: string;
                            awareAt: string;
                            recordedAt: string;
                            /** @description Null when the assessment recorded it. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            source: "staff" | "assessment";
                            reason: string | null;
                            individualsAffected: number | null;
                            residentsOfOneState: number | null;
                            outcome: ("serious-injury" | "death" | "public-health-threat") | null;
                            remedialAction: boolean | null;
                            measureAvailableAt: string | null;
                        }[];
                        clocks: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                        }[];
                        decisions: {
                            id: string;
                            triggerId: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            articles: string[];
                            reason: string;
                            /** @enum {string} */
                            state: "proposed" | "approved" | "rejected";
                            decidedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            decidedAt: string;
                            reviewedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            reviewedAt: string | null;
                            reviewNote: string | null;
                        }[];
                        /** @description FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one. */
                        fdaException: {
                            applies: boolean;
                            lost: string[];
                        } | null;
                        adverseEvent: {
                            number: string;
                            openedAt: string;
                            reasons: string[];
                        } | null;
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    rejectNotReportable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                decisionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Why the decision is rejected. Stored sealed; the audit log records only that one was given. */
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        timeZone: string;
                        product: {
                            id: string;
                            name: string;
                        } | null;
                        profile: {
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                            summary: string[];
                        } | null;
                        availableTriggers: {
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                        }[];
                        triggers: {
                            id: string;
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            productId: string;
                            awareAt: string;
                            recordedAt: string;
                            /** @description Null when the assessment recorded it. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            source: "staff" | "assessment";
                            reason: string | null;
                            individualsAffected: number | null;
                            residentsOfOneState: number | null;
                            outcome: ("serious-injury" | "death" | "public-health-threat") | null;
                            remedialAction: boolean | null;
                            measureAvailableAt: string | null;
                        }[];
                        clocks: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                        }[];
                        decisions: {
                            id: string;
                            triggerId: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            articles: string[];
                            reason: string;
                            /** @enum {string} */
                            state: "proposed" | "approved" | "rejected";
                            decidedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            decidedAt: string;
                            reviewedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            reviewedAt: string | null;
                            reviewNote: string | null;
                        }[];
                        /** @description FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one. */
                        fdaException: {
                            applies: boolean;
                            lost: string[];
                        } | null;
                        adverseEvent: {
                            number: string;
                            openedAt: string;
                            reasons: string[];
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    recordRegulatoryTrigger: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                    /** @description The product it concerns; the case's product when absent. */
                    product?: string;
                    /**
                     * Format: date-time
                     * @description When the vendor became aware; now when absent. Never in the future.
                     */
                    awareAt?: string;
                    /** @description Why the trigger is recorded. Stored sealed; the audit log records only that one was given. */
                    reason: string;
                    /** @description phi-breach: the estimate of individuals affected (required). */
                    individualsAffected?: number;
                    /** @description phi-breach: the most residents of one State or jurisdiction (media notice). */
                    residentsOfOneState?: number;
                    /**
                     * @description device-malfunction: what it caused or could cause (required).
                     * @enum {string}
                     */
                    outcome?: "serious-injury" | "death" | "public-health-threat";
                    /** @description device-malfunction: remedial action is needed to prevent an unreasonable risk of substantial harm. */
                    remedialAction?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        timeZone: string;
                        product: {
                            id: string;
                            name: string;
                        } | null;
                        profile: {
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                            summary: string[];
                        } | null;
                        availableTriggers: {
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                        }[];
                        triggers: {
                            id: string;
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            productId: string;
                            awareAt: string;
                            recordedAt: string;
                            /** @description Null when the assessment recorded it. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            source: "staff" | "assessment";
                            reason: string | null;
                            individualsAffected: number | null;
                            residentsOfOneState: number | null;
                            outcome: ("serious-injury" | "death" | "public-health-threat") | null;
                            remedialAction: boolean | null;
                            measureAvailableAt: string | null;
                        }[];
                        clocks: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                        }[];
                        decisions: {
                            id: string;
                            triggerId: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            articles: string[];
                            reason: string;
                            /** @enum {string} */
                            state: "proposed" | "approved" | "rejected";
                            decidedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            decidedAt: string;
                            reviewedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            reviewedAt: string | null;
                            reviewNote: string | null;
                        }[];
                        /** @description FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one. */
                        fdaException: {
                            applies: boolean;
                            lost: string[];
                        } | null;
                        adverseEvent: {
                            number: string;
                            openedAt: string;
                            reasons: string[];
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    recordCorrectiveMeasure: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
                triggerId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description When it became available; now when absent.
                     */
                    availableAt?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        timeZone: string;
                        product: {
                            id: string;
                            name: string;
                        } | null;
                        profile: {
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                            summary: string[];
                        } | null;
                        availableTriggers: {
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            regimes: ("cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr")[];
                        }[];
                        triggers: {
                            id: string;
                            /** @enum {string} */
                            kind: "actively-exploited" | "severe-incident" | "uncontrolled-risk" | "phi-breach" | "personal-data-breach" | "device-malfunction";
                            label: string;
                            productId: string;
                            awareAt: string;
                            recordedAt: string;
                            /** @description Null when the assessment recorded it. */
                            recordedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            source: "staff" | "assessment";
                            reason: string | null;
                            individualsAffected: number | null;
                            residentsOfOneState: number | null;
                            outcome: ("serious-injury" | "death" | "public-health-threat") | null;
                            remedialAction: boolean | null;
                            measureAvailableAt: string | null;
                        }[];
                        clocks: {
                            id: string;
                            triggerId: string;
                            /** @description The duty id in the duty table (docs/regulatory.md). */
                            duty: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            /** @description The source document and article. */
                            article: string;
                            title: string;
                            /** @description Who is to be told. */
                            recipient: string;
                            /** @description The window as the text says it, e.g. "72 hours". */
                            window: string;
                            startedAt: string | null;
                            /** @description Null while the clock waits for the fact that starts it. */
                            dueAt: string | null;
                            waitingFor: string | null;
                            /** @enum {string} */
                            state: "waiting" | "running" | "breached" | "submitted" | "submitted-late" | "not-reportable";
                            submittedAt: string | null;
                            submittedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @description The authority's reference number, once submitted. */
                            reference: string | null;
                        }[];
                        decisions: {
                            id: string;
                            triggerId: string;
                            /** @enum {string} */
                            regime: "cra" | "fda-postmarket" | "fda-mdr" | "eu-vigilance" | "hipaa" | "gdpr";
                            regulation: string;
                            articles: string[];
                            reason: string;
                            /** @enum {string} */
                            state: "proposed" | "approved" | "rejected";
                            decidedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            decidedAt: string;
                            reviewedBy: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            reviewedAt: string | null;
                            reviewNote: string | null;
                        }[];
                        /** @description FDA's exception from 21 CFR 806 reporting for an uncontrolled risk; null without one. */
                        fdaException: {
                            applies: boolean;
                            lost: string[];
                        } | null;
                        adverseEvent: {
                            number: string;
                            openedAt: string;
                            reasons: string[];
                        } | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    reopenCase: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    requestCaseInformation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    message: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    listSimilarReports: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        similar: {
                            caseNumber: string;
                            /** @description The first line of the report's title, summary or details. */
                            title: string;
                            state: string;
                            receivedAt: string;
                            /** @description 0 to 1; suggestions score above 0.3. */
                            score: number;
                            reasons: {
                                /** @enum {string} */
                                kind: "product" | "version" | "cwe" | "endpoint" | "text";
                                /** @description A short explanation, e.g. "shared endpoint: /api/v1/patients". */
                                detail: string;
                            }[];
                        }[];
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    startCaseRemediation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    startCaseVerification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    sendCaseSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    text: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        caseNumber: string;
                        program: string;
                        state: string;
                        receivedAt: string;
                        acknowledgeBy: string;
                        deadlines: {
                            [key: string]: string;
                        };
                        assignee: {
                            id: string;
                            email: string;
                            name: string;
                        } | null;
                        contactPerson: string | null;
                        acknowledgedAt: string | null;
                        verifiedAt: string | null;
                        summarySentAt: string | null;
                        closedAt: string | null;
                        stateChangedAt: string | null;
                        duplicateOf: string | null;
                        outOfScopeCategory: string | null;
                        /** @description `invalid` or `forwarded-to-support` while a triage outcome closes the case; its clocks read not applicable. */
                        triageOutcome: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
        };
    };
    getCaseTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                caseNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: ({
                            /** @enum {string} */
                            type: "message";
                            at: string;
                            messageId: string;
                            /** @enum {string} */
                            author: "reporter" | "staff";
                            staff: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            /** @enum {string} */
                            visibility: "reporter" | "internal";
                            /** @description Empty while the message is held in privacy quarantine and the caller is no privacy officer. */
                            body: string;
                            /** @description Held in privacy quarantine (see the quarantine endpoints). */
                            quarantined: boolean;
                        } | {
                            /** @enum {string} */
                            type: "action";
                            at: string;
                            action: string;
                            from: string | null;
                            to: string | null;
                            by: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                        } | {
                            /** @enum {string} */
                            type: "assignment";
                            at: string;
                            from: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            to: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                            by: {
                                id: string;
                                email: string;
                                name: string;
                            } | null;
                        })[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
    listTokens: {
        parameters: {
            query?: {
                all?: "0" | "1" | "true" | "false";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: {
                            id: string;
                            name: string;
                            /** @enum {string} */
                            scope: "read" | "read-write";
                            programs: string[] | null;
                            createdAt: string;
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                            user?: {
                                id: string;
                                email: string;
                            };
                        }[];
                    };
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @enum {string} */
                    scope: "read" | "read-write";
                    programs?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        token: string;
                        /** @enum {string} */
                        scope: "read" | "read-write";
                        programs: string[] | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
        };
    };
    revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
        };
    };
}
