import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../../functions/adapters/table-keys';

export interface CaseTableProps {
  /** Production: true, so that neither a stack update nor a console click can drop the cases. */
  readonly protect: boolean;
}

/** The single table of cases, steps, events, links and opt-outs (layout in functions/adapters/table-keys.ts). */
export class CaseTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: CaseTableProps) {
    super(scope, id);
    const str = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: str(TABLE.partitionKey),
      sortKey: str(TABLE.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttl,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.protect,
      removalPolicy: props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of [TABLE.byPhone, TABLE.byService]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: str(index.partitionKey),
        sortKey: str(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
    // Every case of an organisation's service by creation time, for listings of all statuses: its keys
    // never change after the case is created, so a listing cannot meet a case twice or miss one, and with
    // keys only no later write of the case is copied into it.
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byServiceCreated.name,
      partitionKey: str(TABLE.byServiceCreated.partitionKey),
      sortKey: str(TABLE.byServiceCreated.sortKey),
      projectionType: ProjectionType.KEYS_ONLY,
    });
    // A round's cases by round: only stage and status are projected, enough for the round's spread
    // (100,000 cases per round) without copying personal data into a second index.
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.byRound.name,
      partitionKey: str(TABLE.byRound.partitionKey),
      sortKey: str(TABLE.byRound.sortKey),
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...TABLE.byRound.nonKeyAttributes],
    });
  }
}
