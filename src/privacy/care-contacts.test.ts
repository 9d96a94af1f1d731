import { describe, expect, it } from 'vitest';
import { findCareRecipientContacts } from './care-contacts.js';
import { normalisePhone } from './contacts.js';
import type { RawFinding } from './types.js';

function found(text: string, reporterPhones: string[] = [], reporterEmails: string[] = []): string[] {
  const out: RawFinding[] = [];
  const phones = new Set(reporterPhones.map((p) => normalisePhone(p, 'US')));
  findCareRecipientContacts(text, out, { phones, emails: new Set(reporterEmails) }, 'US');
  return out.map((f) => `${f.kind}:${text.slice(f.start, f.end)}`);
}

describe('phone numbers by the slot they fill, in a text about care', () => {
  it("reads a reminder's recipient in a log line, a JSON member and a delimited export", () => {
    expect(
      found(
        'notify ok channel=sms to=+4915112345678 tpl=appointment_reminder body="Ihr Termin in der Praxis am 3.4."',
      ),
    ).toEqual(['phone:+4915112345678']);
    expect(
      found('{"event":"reminder.sent","recipient":"+33 6 12 34 56 78","text":"Rappel : rendez-vous demain"}'),
    ).toEqual(['phone:+33 6 12 34 56 78']);
    expect(
      found(
        'sent_at;recipient;sender;text\n2026-03-01 09:00;0612345678;0201234567;"Herinnering afspraak huisarts"',
      ),
    ).toEqual(['phone:0612345678']);
  });

  it("reads a caller's number, a WhatsApp id without its plus and a SIP callee", () => {
    expect(
      found('{"ani": "+44 7911 123456", "dnis": "0117 496 0000", "menu": "prescription refill"}'),
    ).toEqual(['phone:+44 7911 123456']);
    expect(found('{"wa_id":"34612345678","text":{"body":"necesito la receta de mi madre"}}')).toEqual([
      'phone:34612345678',
    ]);
    expect(
      found(
        'INVITE sip:+31612345678@pbx.thuiszorg.example;user=phone SIP/2.0\nFrom: <sip:0301234567@thuiszorg.example>\nX-Reason: telehealth consult',
      ),
    ).toEqual(['phone:+31612345678']);
  });

  it('reads a column of callers in a transcribed table', () => {
    const table = '| Time | Caller | Note |\n|---|---|---|\n| 09:10 | 0171 2345678 | Rückruf wegen Rezept |';
    expect(found(table)).toEqual(['phone:0171 2345678']);
  });

  it('reads a phone noun in prose only when the sentence speaks of another patient', () => {
    expect(found("I was shown another patient's reminder with the mobile number +1 415 555 0134.")).toEqual([
      'phone:+1 415 555 0134',
    ]);
    expect(
      found('Our clinic hotline, the phone number +1 415 555 0100, is printed on every reminder.'),
    ).toEqual([]);
  });

  it("leaves the organisation's own lines, masked values, the reporter's number and texts not about care", () => {
    // The dialled number and the sender are the practice's; the key names it.
    expect(
      found('{"dnis": "+49 30 1234567", "sender_phone": "+49 30 7654321", "topic": "appointment"}'),
    ).toEqual([]);
    expect(found('to=+49 151 ****5678 template=appointment_reminder')).toEqual([]);
    expect(found('to=+4915112345678 template=appointment_reminder', ['+49 151 12345678'])).toEqual([]);
    // A CI bot texting the on-call engineer is nobody's care.
    expect(found('alert sent to=+4915112345678 reason="build failed on main"')).toEqual([]);
  });
});

describe('street addresses in a delivery, home, visit or incident slot', () => {
  it('reads a delivery address split over JSON members, XML elements or label lines', () => {
    expect(
      found(
        '{"pickup": "Central depot", "deliver_to": {"line1": "Eikenlaan 12", "line2": "2012 AB Haarlem"}}',
      ),
    ).toEqual(['street-address:Eikenlaan 12", "line2": "2012 AB Haarlem']);
    expect(
      found('<Order>\n  <Street>Rue des Tilleuls 8</Street>\n  <City>1050 Bruxelles</City>\n</Order>'),
    ).toEqual(['street-address:Rue des Tilleuls 8</Street>\n  <City>1050 Bruxelles']);
    expect(found('HOME VISIT 14:00\n  17 ALDER GROVE\n  YORK YO10 5DD')).toEqual([
      'street-address:17 ALDER GROVE\n  YORK YO10 5DD',
    ]);
  });

  it("reads an incident's location and a home address named in prose", () => {
    expect(found('INC-2026-11 LOC "Hauptstraße 5, 1010 Wien" note="fall, 80F"')).toEqual([
      'street-address:Hauptstraße 5, 1010 Wien',
    ]);
    expect(
      found('The route API returns the residence of each client: Kalliolanrinne 4, 00510 Helsinki.'),
    ).toEqual(['street-address:Kalliolanrinne 4, 00510 Helsinki']);
  });

  it("leaves an organisation's own address, the pickup side and documentation examples", () => {
    expect(found('Returns go to our office: Industrieweg 40, 3542 AD Utrecht.')).toEqual([]);
    expect(found('{"pickup": {"line1": "Industrieweg 40", "line2": "3542 AD Utrecht"}}')).toEqual([]);
    expect(found('Deliver to the Klinikum Nord, Hafenstraße 3, 20457 Hamburg.')).toEqual([]);
    expect(found('"delivery": {"address": "Musterstraße 1, 12345 Musterstadt"}')).toEqual([]);
  });

  it('stays linear on a long run of street-like words and numbers', () => {
    const text = 'delivery: '.concat('Lindenweg 12, '.repeat(50_000));
    const out: RawFinding[] = [];
    findCareRecipientContacts(text, out, { phones: new Set(), emails: new Set() }, 'US');
    expect(out.length).toBeLessThanOrEqual(512);
  });
});

describe("patients' e-mail addresses in a recipient or account slot", () => {
  const reset = (to: string) =>
    `From: Klinik Seeblick <noreply@klinik-seeblick.example>\nTo: ${to}\nSubject: Passwort für Ihr Patientenportal zurücksetzen\n`;

  it("reads a portal reset mail's recipient, a sign-up event's address and a care list's members", () => {
    expect(found(reset('"Ilse Brandauer" <ilse.brandauer@mailbox-sued.example>'))).toEqual([
      'patient-email:ilse.brandauer@mailbox-sued.example',
    ]);
    expect(
      found(
        'type=REGISTER realm=patients client=portal email=k.oyelaran@postfach.example appointment booking',
      ),
    ).toEqual(['patient-email:k.oyelaran@postfach.example']);
    expect(
      found(
        'GET /lists/diabetes-coaching/members\n{"members":[{"email_address":"ruth.aalto@posti.example"}]}',
      ),
    ).toEqual(['patient-email:ruth.aalto@posti.example']);
  });

  it("leaves role mailboxes, the organisation's own domain, staff and test accounts, and the reporter", () => {
    expect(found(reset('archive@klinik-seeblick.example'))).toEqual([]);
    expect(found(reset('<dr.wendt@klinik-seeblick.example>'))).toEqual([]);
    expect(
      found('type=LOGIN realmId=staff client=admin-console email=h.okafor@mailbox-sued.example clinic'),
    ).toEqual([]);
    expect(
      found('type=REGISTER realm=patients email=me@lab.example  <- my test account, clinic portal'),
    ).toEqual([]);
    expect(found(reset('<tess@lab.example>'), [], ['tess@lab.example'])).toEqual([]);
    // An address in a signature or a staff record is no recipient of care.
    expect(found('E-mail: priya@appsec.example\nThe lookup returns the patient name and DOB.')).toEqual([]);
  });
});

describe('patients named or reached through an account, a record field or a sentence', () => {
  it("reads an account mail's recipient and a patient object's address without other care words", () => {
    expect(
      found(
        'resetd: reset token 4f1c issued\npostfix/smtp: 9A1B: to=<lotte.vrijhof@kpnmail.example>, status=sent',
      ),
    ).toEqual(['patient-email:lotte.vrijhof@kpnmail.example']);
    expect(
      found('{"patient": {"displayName": "x", "contact": {"email": "b.ferreira@sapo.example"}}}'),
    ).toEqual(['patient-email:b.ferreira@sapo.example']);
    // An account address with no event and no patient around it is anybody's, and a contact
    // block's label line is a signature, whatever the text says of verifying or of members.
    expect(found('{"user": {"email": "b.ferreira@sapo.example"}}')).toEqual([]);
    expect(
      found(
        'I verified the member ID leak on the demo tenant.\n\nPriya Natarajan\nE-mail: priya@appsec.example',
      ),
    ).toEqual([]);
  });

  it('reads an address in a sentence about another patient', () => {
    expect(
      found('Changing the id showed the account of another patient: l.mertens@telenet.example.'),
    ).toEqual(['patient-email:l.mertens@telenet.example']);
    expect(found('Another patient portal bug was reported to security@vendor.example last year.')).toEqual(
      [],
    );
  });

  it('reads a name in a field that names the patient, in any case', () => {
    expect(found('I MedSync: dose due 08:00 patient=oskar lindqvist')).toEqual([
      'patient-record:oskar lindqvist',
    ]);
    expect(found('{"patient_name": "Ilse Brandauer", "ward": "3B"}')).toEqual([
      'patient-record:Ilse Brandauer',
    ]);
    expect(found('patient=TEST PATIENT ward=3B')).toEqual([]);
    expect(found('{"patient_name": "Max Mustermann"}')).toEqual([]);
  });

  it('reads the word for a patient followed by a name, in Latin, Greek and Cyrillic script', () => {
    expect(found('Raportissa näkyy potilas Aino Virtanen, diagnoosi astma.')).toEqual([
      'person-clinical:Aino Virtanen',
    ]);
    expect(found('Пациент Борис Седов — диабет.')).toEqual(['person-clinical:Борис Седов']);
    expect(found('Ο ασθενής Νίκος Παππάς νοσηλεύτηκε.')).toEqual(['person-clinical:Νίκος Παππάς']);
    expect(found('The Patient Portal Login page and the patient Summary View leak nothing.')).toEqual([]);
    expect(found('Reject code 65 (Patient Is Not Covered).')).toEqual([]);
  });
});

describe('a person named after a title, a greeting or a name key, with care on the same line', () => {
  it('reads a theatre list (OCR digits for letters included), a push greeting and a name key', () => {
    expect(found('08:00  Mrs Edda Lindq1st   Lap. cho1ecystectomy')).toEqual([
      'person-clinical:Edda Lindq1st',
    ]);
    expect(
      found('{"alert":{"title":"Hallo Wiebke Sandor","body":"Erinnerung: Embryotransfer morgen"}}'),
    ).toEqual(['person-clinical:Wiebke Sandor']);
    expect(found('{ "client": "Tam Okoro", "note": "relapse reported, alcohol use disorder" }')).toEqual([
      'person-clinical:Tam Okoro',
    ]);
  });

  it('leaves staff titles, a name without care on its line and greetings to the reader', () => {
    expect(found('Anaesth: Dr. Hesper Vantongeren   Lap. cholecystectomy')).toEqual([]);
    expect(found('Mrs Edda Lindqvist approved the release.\nThe formulary lists metformin.')).toEqual([]);
    expect(found('Hello Security Team, the dialysis scheduler leaks tokens.')).toEqual([]);
  });
});
