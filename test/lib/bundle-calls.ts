import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { type SdkCall, sdkCall } from './iam-actions';

// What a handler's bundle can call on AWS, read from the code: the project's own files in the bundle
// (esbuild's metafile), then, from the code that runs at load and the handler, every function, method
// and class the code reaches (through the type checker, a port's method reaching the methods of the
// classes that implement it), and in that code the AWS SDK commands it uses, the DynamoDB indexes its
// queries name and the environment variables it reads. A method nobody calls adds nothing: get-case
// bundles the repository class, but only its read methods run.

const ROOT = resolve(__dirname, '../..');

export interface BundleCalls {
  /** IAM action -> the places (file:line) that need it. */
  readonly actions: Map<string, Set<string>>;
  /** DynamoDB indexes a query names (IndexName). */
  readonly indexes: Set<string>;
  /** A query without IndexName: Query on the table itself. */
  readonly tableQuery: boolean;
  /** String literals that look like environment variable names (requireEnv('X'), process.env.X). */
  readonly names: Set<string>;
  /** SDK values with no IAM mapping: the test refuses them rather than guess. */
  readonly unknown: string[];
}

/** The project's own source files esbuild puts into the handler's bundle. */
async function bundledFiles(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  return Object.keys(result.metafile.inputs)
    .filter((f) => !f.includes('node_modules') && /\.ts$/.test(f))
    .map((f) => join(ROOT, f));
}

const isOwn = (file: ts.SourceFile) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/');

export class CallAnalyser {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;

  constructor(entries: string[]) {
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    this.program = ts.createProgram(entries, { ...parsed.options, noEmit: true });
    this.checker = this.program.getTypeChecker();
  }

  async analyse(entry: string): Promise<BundleCalls> {
    const files = await bundledFiles(entry);
    return new Reach(this.program, this.checker).run(files);
  }
}

/** One handler's reachability walk. */
class Reach {
  private readonly seen = new Set<ts.Node>();
  private readonly queue: ts.Node[] = [];
  private readonly classes = new Set<ts.ClassLikeDeclaration>();
  /** Port members called: interface declaration -> member names. */
  private readonly wanted = new Map<ts.Node, Set<string>>();
  private readonly result = {
    actions: new Map<string, Set<string>>(),
    indexes: new Set<string>(),
    tableQuery: false,
    names: new Set<string>(),
    unknown: [] as string[],
  };

  constructor(
    private readonly program: ts.Program,
    private readonly checker: ts.TypeChecker,
  ) {}

  run(files: string[]): BundleCalls {
    for (const file of files) {
      const source = this.program.getSourceFile(file);
      if (!source) throw new Error(`${file} is bundled but not in the TypeScript program`);
      // Everything at the top level runs at load; declarations run only when something reaches them.
      for (const statement of source.statements) {
        if (
          ts.isFunctionDeclaration(statement) ||
          ts.isClassDeclaration(statement) ||
          ts.isInterfaceDeclaration(statement) ||
          ts.isTypeAliasDeclaration(statement) ||
          ts.isImportDeclaration(statement) ||
          ts.isExportDeclaration(statement)
        )
          continue;
        this.enqueue(statement);
      }
    }
    for (let node = this.queue.shift(); node; node = this.queue.shift()) this.visit(node);
    return this.result;
  }

  private enqueue(node: ts.Node | undefined): void {
    if (!node || this.seen.has(node)) return;
    this.seen.add(node);
    this.queue.push(node);
  }

  /** A declaration some reached code refers to. */
  private reach(decl: ts.Declaration): void {
    if (!isOwn(decl.getSourceFile())) return;
    if (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) this.reachClass(decl);
    else if (ts.isMethodSignature(decl) || ts.isPropertySignature(decl)) this.want(decl);
    else if (
      ts.isFunctionDeclaration(decl) ||
      ts.isMethodDeclaration(decl) ||
      ts.isGetAccessorDeclaration(decl) ||
      ts.isSetAccessorDeclaration(decl) ||
      ts.isConstructorDeclaration(decl)
    )
      this.enqueue(decl.body);
    else if (
      ts.isVariableDeclaration(decl) ||
      ts.isPropertyDeclaration(decl) ||
      ts.isPropertyAssignment(decl)
    )
      this.enqueue(decl.initializer);
  }

  /** A class that is instantiated or referred to: its constructor and fields run, its methods when called. */
  private reachClass(decl: ts.ClassLikeDeclaration): void {
    if (this.classes.has(decl)) return;
    this.classes.add(decl);
    for (const clause of decl.heritageClauses ?? []) {
      if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
      for (const type of clause.types) this.enqueue(type.expression);
    }
    for (const member of decl.members) {
      if (ts.isConstructorDeclaration(member)) this.enqueue(member.body);
      else if (ts.isPropertyDeclaration(member)) this.enqueue(member.initializer);
      else if (ts.isClassStaticBlockDeclaration(member)) this.enqueue(member.body);
    }
    for (const [port, names] of this.wanted) {
      if (this.implementsPort(decl, port)) for (const name of names) this.reachMember(decl, name);
    }
  }

  /** A port's member (an interface method): whatever implements it runs. */
  private want(decl: ts.MethodSignature | ts.PropertySignature): void {
    const port = decl.parent;
    const name = decl.name.getText();
    const names = this.wanted.get(port) ?? new Set<string>();
    if (names.has(name)) return;
    names.add(name);
    this.wanted.set(port, names);
    for (const cls of this.classes) if (this.implementsPort(cls, port)) this.reachMember(cls, name);
  }

  private reachMember(cls: ts.ClassLikeDeclaration, name: string): void {
    const symbol = cls.name ? this.checker.getSymbolAtLocation(cls.name) : undefined;
    if (!symbol) return;
    const member = this.checker.getPropertyOfType(this.checker.getDeclaredTypeOfSymbol(symbol), name);
    for (const decl of member?.declarations ?? []) this.reach(decl);
  }

  /** The interfaces a class implements, through its base classes and the interfaces' own extends. */
  private implementsPort(cls: ts.ClassLikeDeclaration, port: ts.Node): boolean {
    const seen = new Set<ts.Node>();
    const walk = (node: ts.Node): boolean => {
      if (node === port) return true;
      if (seen.has(node)) return false;
      seen.add(node);
      const clauses =
        ts.isClassLike(node) || ts.isInterfaceDeclaration(node) ? (node.heritageClauses ?? []) : [];
      for (const clause of clauses) {
        for (const type of clause.types) {
          for (const decl of this.declarationsOf(type.expression)) if (walk(decl)) return true;
        }
      }
      return false;
    };
    return walk(cls);
  }

  private declarationsOf(node: ts.Node): ts.Declaration[] {
    let symbol = ts.isShorthandPropertyAssignment(node.parent)
      ? this.checker.getShorthandAssignmentValueSymbol(node.parent)
      : this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol?.declarations ?? [];
  }

  private visit(node: ts.Node): void {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (/^[A-Z][A-Z0-9_]{2,}$/.test(node.text)) this.result.names.add(node.text);
    } else if (ts.isPropertyAssignment(node) && node.name.getText() === 'IndexName') {
      this.index(node.initializer);
    } else if (ts.isObjectLiteralExpression(node)) {
      const keys = node.properties.map((p) => p.name?.getText());
      if (keys.includes('KeyConditionExpression') && !keys.includes('IndexName'))
        this.result.tableQuery = true;
    } else if (ts.isPropertyAccessExpression(node) && node.expression.getText() === 'process.env') {
      this.result.names.add(node.name.text);
    } else if (ts.isIdentifier(node) && !this.isDeclarationName(node)) {
      for (const decl of this.declarationsOf(node)) {
        const file = decl.getSourceFile();
        if (isOwn(file)) this.reach(decl);
        else this.external(node, file.fileName);
      }
    }
    ts.forEachChild(node, (child) => this.visit(child));
  }

  private isDeclarationName(node: ts.Identifier): boolean {
    const parent = node.parent;
    return (
      (ts.isVariableDeclaration(parent) ||
        ts.isFunctionDeclaration(parent) ||
        ts.isClassDeclaration(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isParameter(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isBindingElement(parent) ||
        ts.isPropertyAssignment(parent)) &&
      parent.name === node
    );
  }

  private index(expression: ts.Expression): void {
    const type = this.checker.getTypeAtLocation(expression);
    if (!type.isStringLiteral())
      throw new Error(
        `IndexName is not a constant at ${where(expression)}: name the index with a literal type`,
      );
    this.result.indexes.add(type.value);
  }

  private external(node: ts.Identifier, file: string): void {
    const call: SdkCall | undefined = sdkCall(file, node.text);
    if (!call) return;
    if (call.unknown) {
      this.result.unknown.push(`${call.unknown} (${node.text} at ${where(node)})`);
      return;
    }
    for (const action of call.actions) {
      const places = this.result.actions.get(action) ?? new Set<string>();
      places.add(where(node));
      this.result.actions.set(action, places);
    }
  }
}

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart());
  return `${file.fileName.replace(`${ROOT}/`, '')}:${line + 1}`;
}

export const handlerEntry = (name: string) => join(ROOT, 'functions/handlers', `${name}.ts`);
