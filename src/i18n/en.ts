/**
 * English messages: the reference catalogue. Every user-facing string of the portal and of
 * mail is looked up here through `t()`, so a program can offer other languages by adding a
 * catalogue with the same keys.
 */
export const en = {
  'site.title': 'Vigil',
  'site.tagline': 'Coordinated vulnerability disclosure',
  'site.skip': 'Skip to content',
  'site.footer': 'Reports are encrypted at rest and handled only by each program\u2019s security team.',
  'index.heading': 'Security vulnerability disclosure programs',
  'index.lead':
    'Choose the vendor and product you want to report a vulnerability in. Each program states its scope, its promises and how to report.',
  'index.none': 'No program is published on this instance yet.',
  'index.ack': 'Acknowledgement within {duration}',
  'program.report': 'Report a vulnerability',
  'program.policy': 'Policy',
  'program.scope': 'Scope',
  'program.scope.product': 'Product',
  'program.scope.versions': 'Versions',
  'program.scope.status': 'Status',
  'program.scope.in': 'In scope',
  'program.scope.out': 'Out of scope',
  'program.outOfScope': 'Out-of-scope categories',
  'program.outOfScope.lead':
    'Reports in these categories are recognised and answered as such, but not investigated as vulnerabilities.',
  'program.safeHarbor': 'Safe harbor',
  'program.rules': 'Rules of engagement',
  'program.whatWeDo': 'What we will do',
  'program.promises': 'Our response times',
  'program.howToReport': 'How to report',
  'program.rewards.none': 'This program does not pay bounties.',
  'program.rewards.bounty': 'This program pays bounties.',
  'program.credits': 'Credit',
  'program.dataHandling': 'Your data',
  'program.credits.public': 'With your consent we acknowledge you publicly, in the words you choose.',
  'program.credits.cve': 'If you ask for it, we credit you in the CVE record, with the text you choose.',
  'program.credits.none': 'We keep no public hall of fame.',
  'program.email': 'By email',
  'program.languages': 'Preferred languages',
  'clock.acknowledge': 'Acknowledgement',
  'clock.verify': 'Verification',
  'clock.summary': 'Summary of findings',
  'clock.remediate': 'Remediation',
  'clock.disclose': 'Disclosure',
  'duration.businessDays': '{n} business day|{n} business days',
  'duration.calendarDays': '{n} day|{n} days',
  'form.heading': 'Report a vulnerability to {vendor}',
  'form.required': 'required',
  'form.optional': 'optional',
  'form.attachments': 'Attachments',
  'form.attachments.help':
    'Tools, proof-of-concept code, network traces, screenshots. Up to {count} files, {size} each.',
  'form.submit': 'Send report',
  'form.yes': 'Yes',
  'form.no': 'No',
  'form.unsure': 'Not sure',
  'form.choose': 'Choose\u2026',
  'form.product.other': 'Other / not listed',
  'form.errors.heading': 'The report was not sent. Please correct the following:',
  'form.privacy':
    'Your contact details are seen only by the security team handling your report and never leave it without your permission.',
  'form.pow.label': 'Anti-spam check',
  'form.pow.working': 'Anti-spam check in your browser: {percent} % of the most it can take\u2026',
  'form.pow.done': 'Anti-spam check done; sending your report\u2026',
  'form.pow.failed':
    'The anti-spam check could not run ({error}); the report is sent without it. If it is refused, wait the time shown and send it again.',
  'form.wait.explain':
    'This program is receiving many reports right now. To keep automated junk out, the form must be open for a while before it is sent: please wait {seconds} seconds, then press \u201c{send}\u201d again. Your answers are kept below; files must be attached again.',
  'form.wait.email': 'You can also send your report by email to {address}.',
  'form.proof.rejected':
    'The anti-spam check was not accepted: {reason} Your answers are kept below; please send the form again.',
  'paused.heading': 'Reports are paused',
  'paused.body': '{vendor} is not taking new reports through this site at the moment.',
  'paused.reopens': 'Reports open again on {date}.',
  'paused.noDate': 'No date for reopening has been announced yet.',
  'receipt.heading': 'Report received',
  'receipt.caseNumber': 'Case number',
  'receipt.link': 'Your private case link',
  'receipt.linkHelp':
    'Keep this link private and save it now: it is the only way to follow your case and exchange messages without an account. If you lose it, we cannot recover it.',
  'receipt.ackBy': 'We will acknowledge your report and name a contact person by {when}.',
  'case.heading': 'Case {caseNumber}',
  'case.state': 'State',
  'case.received': 'Received',
  'case.deadlines': 'Our commitments',
  'case.deadline.due': 'due {when}',
  'case.yourReport': 'Your report',
  'case.yourContact': 'Your contact details',
  'case.attachments': 'Attachments',
  'case.noAttachments': 'No attachments.',
  'case.messages': 'Messages',
  'case.noMessages': 'No messages yet.',
  'case.from.reporter': 'You',
  'case.from.staff': '{vendor} security team',
  'case.addMessage': 'Send a message or more files',
  'case.message': 'Message',
  'case.send': 'Send',
  'case.sent': 'Your message was sent.',
  'credit.heading': 'Public credit',
  'credit.where.both':
    '{vendor} may credit you in its security advisories, CVE records and acknowledgements, only with your consent and in your words.',
  'credit.where.cve':
    '{vendor} may credit you in the CVE record and advisory of this vulnerability, only with your consent and in your words.',
  'credit.where.page':
    '{vendor} may acknowledge you in its security advisories and on its acknowledgements page, only with your consent and in your words.',
  'credit.status.given': 'You agreed to be credited as: {credit}',
  'credit.status.declined': 'You asked not to be named. We will not credit you.',
  'credit.status.unanswered': 'You have not told us yet. Until you do, we name no one.',
  'credit.via.form': 'Given on the report form on {when}.',
  'credit.via.private-page': 'Given on this page on {when}.',
  'credit.via.mail-reply': 'Given in a reply to our mail on {when}.',
  'credit.via.staff': 'Recorded by the team on {when}, as you told them.',
  'credit.question': 'May we credit you publicly for this report?',
  'credit.yes': 'Yes, credit me as written below',
  'credit.no': 'No, do not name me',
  'credit.text': 'How the credit should read',
  'credit.textHelp':
    'Your name, handle or organization exactly as it should appear. It may differ from your contact details; do not include your email address or phone number.',
  'credit.save': 'Save my answer',
  'credit.saved': 'Your answer about public credit is saved.',
  'credit.byMail':
    'By email instead: reply to one of our mails with a line "Credit: yes, as <how it should read>" or "Credit: no".',
  'credit.choose': 'choose yes or no',
  'case.download': 'Download',
  'answer.subject': 'Subject',
  'answer.message': 'Message',
  'answer.email': 'Email',
  'answer.name': 'Name',
  'answer.publicKey': 'Your OpenPGP public key',
  'state.received': 'Received',
  'state.acknowledged': 'Acknowledged',
  'state.in_verification': 'In verification',
  'state.confirmed': 'Confirmed',
  'state.not_reproducible': 'Not reproducible',
  'state.out_of_scope': 'Out of scope',
  'state.duplicate': 'Duplicate',
  'state.informational': 'Informational',
  'state.in_remediation': 'In remediation',
  'state.disclosed': 'Disclosed',
  'state.closed': 'Closed',
  'state.invalid': 'Closed as invalid',
  'error.notFound': 'This page does not exist, or the link is not valid.',
  'error.generic': 'Something went wrong on our side. Nothing you sent was kept; please try again.',
  'error.tooLarge': 'What you sent is too large: {detail}',
  'error.rateLimited': 'Too many submissions from your address. Please wait a minute and try again.',
  'mail.receipt.subject': '[{caseNumber}] Your vulnerability report was received',
  'mail.receipt.body':
    'Thank you for your report to {vendor}.\n\nCase number: {caseNumber}\nWe will acknowledge it and name a contact person by {when}.\n\nFollow your case and exchange messages with the security team at your private link:\n{link}\n\nKeep this link private: anyone who has it can read your case. This mail carries no details of your report.\n\n\u2014 {vendor} product security',
  'mail.message.subject': '[{caseNumber}] New message on your vulnerability report',
  'program.openpgp': 'OpenPGP key',
  'program.openpgp.download': 'Download the public key',
  'program.openpgp.wkd': 'also available through the Web Key Directory',
  'program.openpgp.history': 'Key history',
  'program.openpgp.history.lead':
    'Every key this program has published. Advisories and mail signed before a key was replaced are checked with the key that signed them; encrypt only to the current key.',
  'program.openpgp.fingerprint': 'Fingerprint',
  'program.openpgp.algorithm': 'Algorithm',
  'program.openpgp.created': 'Created',
  'program.openpgp.retired': 'Replaced',
  'program.openpgp.expires': 'Expires',
  'program.openpgp.state': 'State',
  'program.openpgp.state.current': 'Current',
  'program.openpgp.state.retired': 'Replaced',
  'program.openpgp.state.expired': 'Expired',
  'receipt.encryptTo': 'Encrypt further mail to {address} with this OpenPGP key:',
  'receipt.encryptToTeam': 'Encrypt further mail to the security team with this OpenPGP key:',
  'receipt.replies.noKey':
    'Replies from the team are sent by email only encrypted to your OpenPGP key, and you gave none: keep this link to read them. By email we only let you know that there is a new reply.',
  'receipt.replies.unusableKey':
    'The OpenPGP key you gave cannot be encrypted to (it may have expired, been revoked or lack an encryption subkey), so replies from the team are not sent by email: keep this link to read them. By email we only let you know that there is a new reply.',
  'form.publicKey.replies':
    'Replies from the team are not sent by email unless you give an OpenPGP key. Without one, we only let you know by email that there is a reply, and you read it at the private link you get after sending: keep that link.',
  'form.phi.heading': 'This looks like patient data',
  'form.phi.intro':
    'Please remove personal or health information about patients before you send your report: we do not need it to fix the vulnerability. Describe the kind of data you could reach instead. If you must send it, you still can.',
  'form.phi.file': 'Attached file {name}',
  'form.phi.sendAnyway': 'Send anyway',
  'form.encryption.note':
    'Your report and its files are encrypted in your browser before they are sent, to our OpenPGP key with the fingerprint',
  'form.encryption.encrypting': 'Encrypting your report\u2026',
  'form.encryption.encryptingFile': 'Encrypting {name} (file {n} of {total})\u2026',
  'form.encryption.uploading': 'Sending the encrypted report\u2026',
  'form.encryption.progressEncrypt': 'Encryption',
  'form.encryption.progressUpload': 'Upload',
  'form.encryption.failed': 'Your report could not be encrypted, so nothing was sent: {error}',
  'form.encryption.network':
    'The upload did not complete, so your report was not received. Check your connection and send it again.',
  'form.encryption.fileTooLarge': 'The file {name} is larger than the limit of {size} per file.',
  'form.encryption.tooManyFiles': 'Too many files: at most {count} per report.',
  'mail.receipt.undecryptable':
    'We received your message but could not decrypt it. It is kept safely, unread. Please send it again encrypted to our current key (fingerprint {fingerprint}), or write to us without report details and we will agree on a way.',
  'mail.receipt.undecryptableNoKey':
    'We received your message but could not decrypt it. It is kept safely, unread. Please write to us again without report details, and we will agree on a way to send them.',
  'mail.receipt.attachmentsUndecryptable':
    'We received your message, but one or more encrypted attachments could not be decrypted. They are kept safely, unread; please send them again encrypted to our current key.',
  'mail.receipt.replyHint': 'You can also answer this mail: your answer is added to this case.',
  'mail.receipt.replies.noKey':
    'Replies from the team are sent by email only encrypted to your OpenPGP key, and you gave none: keep the private link below to read them. By email we only let you know that there is a new reply.',
  'mail.receipt.replies.unusableKey':
    'The OpenPGP key you gave cannot be encrypted to (it may have expired, been revoked or lack an encryption subkey), so replies from the team are not sent by email: keep the private link below to read them. By email we only let you know that there is a new reply.',
  'mail.ack.subject': '[{caseNumber}] Your vulnerability report was acknowledged',
  'mail.ack.body':
    'We confirm that {vendor} has received your vulnerability report and is looking into it.\n\nCase number: {caseNumber}\nYour contact person: {contact}\n\nFollow your case and exchange messages with the security team at the private link you saved when you sent your report (it is in our first mail to you). We keep only a fingerprint of that link, so we cannot send it again.\n\nThis mail carries no details of your report.\n\n\u2014 {vendor} product security',
  'mail.message.notice':
    'There is a new message from the {vendor} security team on your case {caseNumber}.\n\nRead it at the private link you saved when you sent your report (it is in our first mail to you). We keep only a fingerprint of that link, so this mail cannot carry it.\n\nThis mail carries no details of your report.\n\n\u2014 {vendor} product security',
  'mail.message.encrypted':
    'The {vendor} security team wrote on your case {caseNumber}:\n\n{message}\n\nYou can also read this message, and answer it, at the private link you saved when you sent your report.\n\n\u2014 {vendor} product security',
  'workflow.duplicate':
    'Thank you for your report. The issue you describe was already reported to us, so we handle your report together with the earlier one rather than as a case of its own.',
  'workflow.notReproducible':
    'Thank you for your report. We investigated it but could not reproduce the issue you describe. If you can tell us more (exact versions, configuration, steps), please answer here.',
  'workflow.informational':
    'Thank you for your report. We reviewed it and consider it informational: it does not describe a vulnerability that we will remediate, but it helps us, and we appreciate it.',
  'workflow.outOfScope':
    'Thank you for your report. It falls in the category \u201c{category}\u201d, which is out of scope of our vulnerability disclosure policy, so we have not investigated it as a vulnerability.',
  'workflow.invalid':
    'Thank you for writing to us. We reviewed your submission and closed it as invalid: it does not describe a security vulnerability in our products. If you believe this is wrong, answer with the product, its version and the steps to reproduce the issue.',
  'workflow.forwardToSupport':
    'Thank you for writing to us. What you describe is not a security vulnerability, so our product security team has closed this case. Please contact our support instead:\n\n{contact}',
  'mail.message.support':
    'What you wrote about is not a security vulnerability. Please contact our support instead:\n\n{contact}',
  'case.contactPerson': 'Your contact person',
  'mail.clock.warning.subject': '[{caseNumber}] {clock} deadline: 80 % of the time used',
  'mail.clock.warning.body':
    'Case {caseNumber} ({program}) has used 80 % of the time until its deadline.\n\nDeadline: {clock}\n\nDue: {due}\n\nOpen the case: {link}\n\nThis mail carries no details of the report.\n\n\u2014 Vigil',
  'mail.clock.breach.subject': '[{caseNumber}] {clock} deadline missed',
  'mail.clock.breach.body':
    'Case {caseNumber} ({program}) has missed a deadline.\n\nDeadline: {clock}\n\nWas due: {due}\n\nOpen the case: {link}\n\nThis mail carries no details of the report.\n\n\u2014 Vigil',
  'mail.policyReview.upcoming.subject': 'Policy review due on {date}: {program}: {title}',
  'mail.policyReview.upcoming.body':
    'The annual review of \u201c{title}\u201d ({program}) is due on {date}.\n\nEither publish a new version (draft, review by the privacy officer, approval, publication), or record a review without change: the privacy officer reviews the published version and the approver signs it.\n\n{link}',
  'mail.policyReview.due.subject': 'Policy review due today: {program}: {title}',
  'mail.policyReview.due.body':
    'The annual review of \u201c{title}\u201d ({program}) is due today, {date}.\n\nEither publish a new version (draft, review by the privacy officer, approval, publication), or record a review without change: the privacy officer reviews the published version and the approver signs it.\n\n{link}',
  'privacy.checklist.assess-access': 'Assess whether PHI or personal data was accessed or exfiltrated',
  'privacy.checklist.identify-affected': 'Identify the affected individuals and records',
  'privacy.checklist.decide-notification':
    'Decide on breach notification (individuals, regulators, media) and record why',
  'privacy.checklist.reporter-deletion':
    'Ask the reporter to delete any data they kept, and record their confirmation',
  'privacy.checklist.record-outcome': 'Record the outcome of the escalation',
  'mail.privacyEscalation.fallback':
    'Nobody holds the privacy duty in {program}, so this notice comes to you as an admin or lead of the program. Please handle it or give the privacy duty to the privacy officer.',
  'mail.privacyEscalation.opened.subject':
    '[{caseNumber}] Privacy escalation: the reporter reached PHI or personal data',
  'mail.privacyEscalation.opened.body':
    'The reporter of case {caseNumber} ({program}) says they reached protected health information or other personal data. A privacy escalation is open on the case.\n\nIt is due by {due}: {days} calendar days after receipt.\n\nThe checklist to work through:\n{checklist}\n\nOpen the case: {link}',
  'mail.privacyEscalation.stated.body':
    'The reporter of case {caseNumber} ({program}) says in their report that they reached protected health information or other personal data, and the case team has opened a privacy escalation on it.\n\nIt is due by {due}: {days} calendar days after it was opened.\n\nThe checklist to work through:\n{checklist}\n\nOpen the case: {link}',
  'mail.privacyEscalation.staff.subject': '[{caseNumber}] Privacy escalation opened by the case team',
  'mail.privacyEscalation.staff.body':
    'A member of the case team opened a privacy escalation on case {caseNumber} ({program}); their reason is on the case.\n\nIt is due by {due}: {days} calendar days after it was opened.\n\nThe checklist to work through:\n{checklist}\n\nOpen the case: {link}',
  'mail.phiClaim.subject':
    '[{caseNumber}] The reporter says they reached PHI: decide on a privacy escalation',
  'mail.phiClaim.body':
    'The words of the reporter of case {caseNumber} ({program}) say they reached protected health information or other personal data. No privacy escalation is open yet: open one, or decline with a reason, on the case.\n\nOpen the case: {link}',
  'mail.privacyEscalation.allDone': '- none: every item is done; the escalation only needs closing',
  'mail.privacyEscalation.reminder.subject': '[{caseNumber}] Privacy escalation due in {left}',
  'mail.privacyEscalation.reminder.body':
    'The privacy escalation of case {caseNumber} ({program}) is still open and due in {left}.\n\nDue: {due}\n\nStill open on its checklist:\n{open}\n\nOpen the case: {link}\n\nThis mail carries no details of the report.\n\n\u2014 Vigil',
  'mail.privacyEscalation.overdue.subject': '[{caseNumber}] Privacy escalation overdue',
  'mail.privacyEscalation.overdue.body':
    'The privacy escalation of case {caseNumber} ({program}) is past its deadline and still open.\n\nWas due: {due}\n\nStill open on its checklist:\n{open}\n\nOpen the case: {link}\n\nThis mail carries no details of the report.\n\n\u2014 Vigil',
  // Regulatory clock reminders and escalations (src/regulatory/regulatory-reminders.ts).
  'mail.regulatory.reminder.subject': '[{caseNumber}] {regulation}: {duty} due {due}',
  'mail.regulatory.reminder.body':
    'A regulatory clock of case {caseNumber} ({program}) is running: {duty}.\n\nRegulation: {regulation} ({article})\nTo: {recipient}\nWindow: {window}\nDue: {due}\n\nThe paste-ready report content and the "Mark submitted" action are on the case: {link}\n\nThis mail carries no details of the report.\n\n\u2014 Vigil',
  'mail.regulatory.overdue.subject': '[{caseNumber}] Missed: {regulation}: {duty}',
  'mail.regulatory.overdue.body':
    'A regulatory deadline of case {caseNumber} ({program}) has passed without a submission on record: {duty}.\n\nRegulation: {regulation} ({article})\nTo: {recipient}\nWas due: {due}\n\nSubmit it now and record the reference, or record a two-person "not reportable" decision on the case: {link}\n\nThis mail goes to the program\u2019s leads and privacy officers. It carries no details of the report.\n\n\u2014 Vigil',
  // Advisories, their feeds and the acknowledgements page (src/disclosure/advisory-views.ts).
  'advisories.heading': 'Security advisories',
  'advisories.lead': 'Security advisories published by the programs on this instance, newest first.',
  'advisories.programLead': 'Security advisories published by {vendor}, newest first.',
  'advisories.none': 'No security advisory has been published yet.',
  'advisories.feed': 'Subscribe to the Atom feed',
  'advisories.id': 'Advisory',
  'advisories.title': 'Title',
  'advisories.severity': 'Severity',
  'advisories.program': 'Program',
  'advisories.released': 'Released',
  'advisories.updated': 'Updated',
  'advisory.meta': '{id} · revision {revision} · first published {initial}',
  'advisory.updated': 'last updated {date}',
  'advisory.vulnerabilities': 'Vulnerabilities',
  'advisory.cve': 'CVE',
  'advisory.noCve': 'No CVE ID assigned',
  'advisory.cvss': 'CVSS {version}',
  'advisory.cwe': 'Weakness',
  'advisory.affected': 'Affected products',
  'advisory.product': 'Product',
  'advisory.versions': 'Versions',
  'advisory.status': 'Status',
  'advisory.fixedIn': 'Fixed in',
  'advisory.noFix': 'No fixed version yet',
  'advisory.status.affected': 'Affected',
  'advisory.status.unaffected': 'Not affected',
  'advisory.otherVersions': 'Versions not listed: {status}',
  'advisory.status.unknown': 'unknown',
  'advisory.range.exact': '{version}',
  'advisory.range.below': 'before {to}',
  'advisory.range.upTo': 'up to and including {to}',
  'advisory.range.fromBelow': 'from {from}, before {to}',
  'advisory.range.fromUpTo': 'from {from} up to and including {to}',
  'advisory.remediations': 'Remediation',
  'advisory.remediation.vendor_fix': 'Vendor fix',
  'advisory.remediation.mitigation': 'Mitigation',
  'advisory.remediation.workaround': 'Workaround',
  'advisory.remediation.none_available': 'No remediation available',
  'advisory.remediation.no_fix_planned': 'No fix planned',
  'advisory.remediation.appliesTo': 'Applies to: {products}',
  'advisory.mitigations': 'Mitigations and workarounds',
  'advisory.references': 'References',
  'advisory.credits': 'Acknowledgements',
  'advisory.history': 'Revision history',
  'advisory.history.revision': 'Revision',
  'advisory.history.date': 'Date',
  'advisory.history.summary': 'Changes',
  'advisory.tlp': 'TLP:{label}',
  'advisory.back': 'All advisories of {program}',
  'severity.none': 'None',
  'severity.low': 'Low',
  'severity.medium': 'Medium',
  'severity.high': 'High',
  'severity.critical': 'Critical',
  'acknowledgements.heading': 'Acknowledgements',
  'acknowledgements.lead':
    '{vendor} thanks the people who reported vulnerabilities and agreed to be named publicly, in the words they chose.',
  'acknowledgements.none': 'No one has been acknowledged yet.',
  'acknowledgements.for': 'for {advisories}',
  'program.advisories': 'Security advisories',
  'program.acknowledgements': 'Acknowledgements',
  'feed.programTitle': '{program}: security advisories',
  'feed.instanceTitle': 'Security advisories',
  'notify.customer.subject': 'TLP:{tlp} {vendor} security advisory {id}: {title}',
  'notify.customer.intro':
    '{vendor} sends you this security advisory because {organisation} is subscribed to a product it concerns.',
  'notify.customer.embargo':
    'This is advance notice under embargo: the advisory becomes public on {when}, not before. Until then, share it only as its TLP label allows.',
  'notify.customer.published': 'It is published at {link}',
  'notify.customer.publishedRestricted':
    'It is released to its recipients only; share it only as its TLP label allows.',
  'notify.reporter.subject': '[{caseNumber}] The advisory for your report is published: {id}',
  'notify.reporter.body':
    'Thank you again for your report {caseNumber}. {vendor} has published the security advisory {id}, "{title}":\n{link}',
  'notify.reporter.credit': 'You are credited in it as: {credit}',
  'notify.reporter.noCredit': 'The advisory names no one for your report, as you chose.',
  'notify.reporter.creditUnanswered':
    'The advisory names no one for your report: you have not told us that you want to be credited. If you do, say so on your private case page (the link in our receipt), or reply to this mail with a line "Credit: yes, as <how the credit should read>"; a later revision can add it.',
  'notify.reporter.creditMissing':
    'You agreed to be credited as "{credit}", but this revision of the advisory names no one for your report. If that is not what you expect, reply to this mail.',
  'share.subject': 'TLP:{tlp} {vendor} advisory {id} (revision {revision}) for {coordinator}: {title}',
  'share.intro':
    '{vendor} shares advisory {id}, revision {revision}, with {coordinator}. Handle it as its TLP label says: TLP:{tlp}.',
  'share.unpublished': 'It is not public yet; do not disclose it before {vendor} publishes it.',
  'share.published': 'It was published on {date}.',
  'share.attachments':
    'Attached: the advisory as text, its CSAF 2.0 document and, where it has CVE IDs, its CVE JSON 5 records.',
} as const;

export type MessageKey = keyof typeof en;
