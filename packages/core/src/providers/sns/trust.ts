// AWS's rule for SNS endpoints (commercial, GovCloud and China partitions), with the middle label
// narrowed to a Region's shape: AWS's `[a-zA-Z0-9-]{3,}` also admits `sns.s3-us-west-2.amazonaws.com`,
// S3's legacy virtual-host name for any bucket called "sns", which would serve anyone's key.
// (WHATWG URL parsing has already lowercased the host.)
const snsHost = /^sns\.[a-z]{2,}(?:-[a-z]+)+-\d+\.amazonaws\.com(\.cn)?$/;

/** Why a URL is not trusted as an SNS endpoint, or `undefined` when it is. */
export function untrustedSnsUrlReason(value: string, options: { pem: boolean }): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return `must use https:, got ${url.protocol}`;
  // Userinfo is how `https://sns.us-east-1.amazonaws.com@evil.example/` tricks naive prefix checks.
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.port !== '') return 'must use the default https port';
  if (!snsHost.test(url.hostname)) return `host ${url.hostname} is not an Amazon SNS host`;
  if (options.pem && !url.pathname.endsWith('.pem')) return 'path must end in .pem';
  // SNS's certificate URLs carry neither: a query could make one trusted path serve other bytes.
  if (options.pem && /[?#]/.test(value)) return 'must not carry a query or fragment';
  return undefined;
}

// Partitions: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, …; regions like us-east-1, us-gov-west-1.
const topicArnShape = /^arn:aws(?:-[a-z]+)*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;

/** Whether a string has the shape of an SNS topic ARN (`arn:aws:sns:<region>:<account>:<name>`). */
export function isSnsTopicArn(value: unknown): value is string {
  return typeof value === 'string' && topicArnShape.test(value);
}
