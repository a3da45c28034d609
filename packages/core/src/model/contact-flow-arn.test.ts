import { describe, expect, it } from 'vitest';
import { parseContactFlowArn } from './contact-flow-arn.ts';

describe('parseContactFlowArn', () => {
  it('reads the Region, account, instance and flow of a contact flow ARN', () => {
    expect(
      parseContactFlowArn(
        'arn:aws:connect:eu-west-2:111122223333:instance/4f1b2c3d-aaaa-bbbb-cccc-1234567890ab/contact-flow/9c2e0000-1111-2222-3333-444455556666',
      ),
    ).toEqual({
      partition: 'aws',
      region: 'eu-west-2',
      accountId: '111122223333',
      instanceId: '4f1b2c3d-aaaa-bbbb-cccc-1234567890ab',
      contactFlowId: '9c2e0000-1111-2222-3333-444455556666',
    });
    expect(parseContactFlowArn('arn:aws-us-gov:connect:us-gov-west-1:111122223333:instance/i/contact-flow/f')?.partition).toBe('aws-us-gov');
  });

  it.each([
    'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1',
    'arn:aws:connect:us-east-1:111122223333:instance/i',
    'arn:aws:connect:us-east-1:111122223333:instance/i/queue/q',
    'arn:aws:connect:us-east-1:1111:instance/i/contact-flow/f',
    'arn:aws:connect:us-east-1:111122223333:instance/i/contact-flow/f/extra',
    'arn:aws:connect:US-EAST-1:111122223333:instance/i/contact-flow/f',
    ' arn:aws:connect:us-east-1:111122223333:instance/i/contact-flow/f',
    '',
  ])('refuses %j', (value) => {
    expect(parseContactFlowArn(value)).toBeUndefined();
  });
});
