/**
 * The parts of a contact flow's ARN: with the participant transport, `DestinationId` is the flow
 * that starts the chat, and it names the instance too.
 *
 * @example
 * const flow: ContactFlowArn = parseContactFlowArn('arn:aws:connect:us-east-1:111122223333:instance/4f1b…/contact-flow/9c2e…')!;
 */
export interface ContactFlowArn {
  partition: string;
  region: string;
  accountId: string;
  instanceId: string;
  contactFlowId: string;
}

const pattern = /^arn:(aws[a-z-]*):connect:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):instance\/([A-Za-z0-9-]{1,100})\/contact-flow\/([A-Za-z0-9-]{1,500})$/;

/**
 * Reads `arn:aws:connect:<region>:<account>:instance/<instance-id>/contact-flow/<flow-id>`;
 * `undefined` for anything else.
 *
 * @example
 * parseContactFlowArn('arn:aws:connect:eu-west-2:111122223333:instance/abc/contact-flow/def')?.instanceId; // 'abc'
 * parseContactFlowArn('arn:aws:sms-voice:us-east-1:111122223333:phone-number/x'); // undefined
 */
export function parseContactFlowArn(value: string): ContactFlowArn | undefined {
  const match = typeof value === 'string' ? pattern.exec(value) : null;
  if (!match) return undefined;
  const [, partition, region, accountId, instanceId, contactFlowId] = match as unknown as [string, string, string, string, string, string];
  return { partition, region, accountId, instanceId, contactFlowId };
}

/** What a malformed contact flow ARN is told, in start errors and refusals alike. */
export const contactFlowArnShape = 'a contact flow ARN arn:aws:connect:<region>:<account>:instance/<instance-id>/contact-flow/<flow-id>';
