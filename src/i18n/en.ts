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
  'receipt.encryptTo': 'Encrypt further mail to {address} with this OpenPGP key:',
  'receipt.encryptToTeam': 'Encrypt further mail to the security team with this OpenPGP key:',
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
  'mail.privacyEscalation.allDone': '- none: every item is done; the escalation only needs closing',
  'mail.privacyEscalation.reminder.subject': '[{caseNumber}] Privacy escalation due in {left}',
  'mail.privacyEscalation.reminder.body':
    'The privacy escalation of case {caseNumber} ({program}) is still open and due in {left}.\n\nDue: {due}\n\nStill open on its checklist:\n{open}\n\nOpen the case: {link}\n\nThis mail carries no details of the report.\n\n\u2014 Vigil',
  'mail.privacyEscalation.overdue.subject': '[{caseNumber}] Privacy escalation overdue',
  'mail.privacyEscalation.overdue.body':
    'The privacy escalation of case {caseNumber} ({program}) is past its deadline and still open.\n\nWas due: {due}\n\nStill open on its checklist:\n{open}\n\nOpen the case: {link}\n\nThis mail carries no details of the report.\n\n\u2014 Vigil',
} as const;

export type MessageKey = keyof typeof en;
