/** The service connection point Windows devices read to find the tenant for hybrid join (key prefix, as dnKey writes it). */
export const HYBRID_JOIN_SCP_PREFIX = 'cn=62a0ff2e-97b9-4513-943f-0d221bd30080,cn=device registration configuration,cn=services,';
