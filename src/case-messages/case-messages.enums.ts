/** The ten message types of the original v3 API; the wire values are the enum values. */
export enum CaseMessageType {
  ServiceComment = 'serviceComment',
  CustomerCenterReply = 'customerCenterReply',
  CostProposalRejectRur = 'costProposalRejectRur',
  CostProposalRejectScrap = 'costProposalRejectScrap',
  StatusRequest = 'statusRequest',
  SpareParts = 'spareParts',
  Reminder = 'reminder',
  CostProposal = 'costProposal',
  Shipment = 'shipment',
  Forwarding = 'forwarding',
}

export const CASE_MESSAGE_TYPES = Object.values(CaseMessageType);

/** Which side of the case sent a message; `null` on the wire means the system sent it. */
export enum SenderType {
  Partner = 'partner',
  Provider = 'provider',
}
