"""Load a Terraform root module with its local child modules, as `terraform plan` would see the configuration.

Resolves variables (root: `terraform.tfvars`, `*.auto.tfvars`, defaults; children: the calling module's
arguments, defaults), locals, `count` and `for_each` (addresses as Terraform and Checkov write them:
`aws_x.y[0]`, `aws_x.y["key"]`, `module.m["k"].aws_x.y`), outputs of local modules, and references between
resources. Anything else (a module from a registry, a variable nobody sets) is `Unknown`, naming the input.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

from trailguard.constraints import validation_requires_sns
from trailguard.model import Location, Unknown
from trailguard.terraform import sources
from trailguard.terraform.builder import BUILDERS
from trailguard.terraform.expressions import Evaluator, Reference, first_unknown, map_items
from trailguard.terraform.hcl import Block, Expression, HclError, JsonExpression, read_file, read_hcl
from trailguard.terraform.sources import Stamps, unchanged
from trailguard.terraform.stack import STACK_TYPES

LOG = logging.getLogger("trailguard")

MAX_MODULE_DEPTH = 16
FIX_VARIABLE = ("give it a default, set it in terraform.tfvars or a *.auto.tfvars file, scan the plan JSON "
                "(terraform show -json), or skip the check with a reason")
FIX_MODULE = "vendor the module into a local directory, or scan the plan JSON (terraform show -json)"
# Computed attributes whose value Terraform derives from a configured one.
ID_IS = {"aws_cloudwatch_log_metric_filter": "name", "aws_cloudwatch_log_group": "name",
         "aws_cloudwatch_metric_alarm": "alarm_name"}
# Attributes that other resources link by (docs/rules.md: a link written as a reference is proven by the reference,
# whatever the referenced value). When their value is not a plain string (an input with no value, a name built
# from one), reading them gives the reference itself, so `log_group_name = aws_cloudwatch_log_group.x.name` still
# names log group x.
LINKED_BY = {"aws_cloudwatch_log_group": ("name", "id")}
# The resource types whose absence a report must name: the modelled ones and CloudFormation stacks.
MODELLED = set(BUILDERS) | set(STACK_TYPES)


def terraform_files(directory: Path) -> List[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and (p.suffix == ".tf" or p.name.endswith(".tf.json")))


@dataclass
class Directory:
    """The parsed files of one module directory (parsed once, however many times the module is called, and kept
    while its files are unchanged: `sources`)."""

    path: Path
    blocks: List[Block] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    stamps: Stamps = field(default_factory=dict)


_DIRECTORIES: Dict[Path, Directory] = {}


def read_directory(path: Path) -> Directory:
    path = path.resolve()
    cached = _DIRECTORIES.get(path)
    if cached is not None and (sources.being_read(path) or unchanged(cached.stamps)):
        sources.read(*cached.stamps)
        return cached
    with sources.recording() as stamps:
        sources.read(path)
        directory = Directory(path, stamps=stamps)
        for file in terraform_files(path):
            sources.read(file)
            try:
                directory.blocks.extend(read_file(file))
            except HclError as error:
                directory.errors.append(str(error))
    if len(_DIRECTORIES) > 256:
        _DIRECTORIES.clear()
    _DIRECTORIES[path] = directory
    return directory


def forget_directories() -> None:
    """Drop parsed files, e.g. between two scans in one process."""
    _DIRECTORIES.clear()


class Module:
    """One instance of a module: its own variables, locals, resources and child modules."""

    def __init__(self, directory: Path, prefix: str, inputs: Dict[str, Any], root: Path, depth: int = 0,
                 notes: Optional[List[str]] = None, existence: Optional[Unknown] = None) -> None:
        self.directory = read_directory(directory)
        # Set when the module call's count or for_each cannot be computed: its resources may not exist.
        self.existence = existence
        self.prefix = prefix
        self.inputs = inputs
        self.root = root
        self.depth = depth
        self.notes = notes if notes is not None else []
        self.notes.extend(f"trailguard could not read {error}" for error in self.directory.errors)
        self.variables = {b.labels[0]: b for b in self._blocks("variable", 1)}
        self.outputs = {b.labels[0]: b for b in self._blocks("output", 1)}
        self.locals: Dict[str, Expression] = {}
        for block in self._blocks("locals", 0):
            self.locals.update(block.attributes)
        self.resources = {(b.labels[0], b.labels[1]): b for b in self._blocks("resource", 2)}
        self.data_sources = {(b.labels[0], b.labels[1]): b for b in self._blocks("data", 2)}
        self.module_calls = {b.labels[0]: b for b in self._blocks("module", 1)}
        self._values: Dict[Tuple[str, str], Any] = {}
        self._evaluating: set = set()
        self._groups: Dict[Tuple[str, str], ResourceGroup] = {}
        self._children: Dict[str, Any] = {}
        self.tfvars = self._read_tfvars() if depth == 0 else {}

    def _blocks(self, kind: str, labels: int) -> List[Block]:
        return [b for b in self.directory.blocks if b.type == kind and len(b.labels) == labels]

    def _read_tfvars(self) -> Dict[str, Any]:
        """terraform.tfvars, then *.auto.tfvars in lexical order, as Terraform loads them (later files win)."""
        files = [self.directory.path / name for name in ("terraform.tfvars", "terraform.tfvars.json")]
        files += sorted(self.directory.path.glob("*.auto.tfvars"))
        files += sorted(self.directory.path.glob("*.auto.tfvars.json"))
        values: Dict[str, Any] = {}
        sources.read(*files)
        for file in files:
            if not file.is_file():
                continue
            try:
                text = file.read_text(encoding="utf-8")
                if file.suffix == ".json":
                    values.update({key: JsonExpression(value) for key, value in json.loads(text).items()})
                else:
                    values.update(_tfvars_attributes(text, str(file)))
            except (HclError, ValueError, OSError) as error:
                self.notes.append(f"{file}: cannot be read ({error})")
        return {name: Evaluator(self).evaluate(expression) for name, expression in values.items()}

    # --- Scope ---------------------------------------------------------------------------------------------------

    def lookup(self, root: str, name: str) -> Any:
        if root == "var":
            return self.variable(name)
        if root == "local":
            return self.local(name)
        if root == "path":
            return {"module": str(self.directory.path), "root": str(self.root), "cwd": str(self.root)}.get(
                name, Unknown(f"path.{name}", "is not known", "use path.module"))
        if root == "module":
            return self.child(name)
        if root == "data":
            return _DataType(name, self)
        if root in ("each", "count", "self"):
            return Unknown(f"{root}.{name}", "is used outside a resource that sets it", "check the configuration")
        return self.group(root, name)

    def variable(self, name: str) -> Any:
        block = self.variables.get(name)
        if block is None:
            return Unknown(f'var.{name}', "is not declared", "declare the variable")
        if name in self.inputs:
            return self.inputs[name]
        if name in self.tfvars:
            return self.tfvars[name]
        if "default" in block.attributes:
            return self._cached(("var", name), lambda: Evaluator(self).evaluate(block.attributes["default"]))
        conditions = [_written_condition(v) for v in block.nested("validation")]
        where = f' of module "{self.prefix.rstrip(".")}"' if self.prefix else ""
        return Unknown(f'variable "{name}"{where}', "has no default and no value in a tfvars file", FIX_VARIABLE,
                       sns_only=validation_requires_sns(conditions, name))

    def local(self, name: str) -> Any:
        if name not in self.locals:
            return Unknown(f"local.{name}", "is not defined", "define the local value")
        return self._cached(("local", name), lambda: Evaluator(self).evaluate(self.locals[name]))

    def _cached(self, key: Tuple[str, str], compute: Any) -> Any:
        if key in self._values:
            return self._values[key]
        if key in self._evaluating:
            return Unknown(f"{key[0]}.{key[1]}", "refers to itself", "break the reference cycle")
        self._evaluating.add(key)
        try:
            value = compute()
        finally:
            self._evaluating.discard(key)
        self._values[key] = value
        return value

    # --- resources -------------------------------------------------------------------------------------------

    def group(self, resource_type: str, name: str) -> Any:
        if (resource_type, name) not in self.resources:
            return Unknown(f"{resource_type}.{name}", "is not a resource of this module", "check the reference")
        key = (resource_type, name)
        if key not in self._groups:
            self._groups[key] = ResourceGroup(self, self.resources[key])
        return self._groups[key]

    def instances(self) -> Iterator[Instance]:
        """Every instance of a modelled resource type in this module and its children, in a stable order.

        Only the modelled types are expanded: expanding a resource evaluates its `count` or `for_each`, which parses
        its block, and a monorepo is mostly other resources. Those are parsed only when an expression refers to them.
        """
        for resource_type, name in self.resources:
            if resource_type in MODELLED:
                yield from self.group(resource_type, name).members()
        for name in self.module_calls:
            child = self.child(name)
            for module in child.modules() if isinstance(child, ModuleCall) else []:
                yield from module.instances()

    # --- child modules -------------------------------------------------------------------------------------

    def child(self, name: str) -> Any:
        if name not in self.module_calls:
            return Unknown(f"module.{name}", "is not called here", "check the reference")
        if name not in self._children:
            self._children[name] = ModuleCall(self, name, self.module_calls[name])
        return self._children[name]


def _tfvars_attributes(text: str, file: str) -> Dict[str, Expression]:
    """A tfvars file is a list of attributes: read it as the body of a block."""
    return read_hcl("locals {\n" + text + "\n}\n", file)[0].attributes


def _source_text(expression: Optional[Expression]) -> str:
    if expression is None:
        return ""
    from lark import Token, Tree

    if isinstance(expression, Tree):
        return " ".join(str(t) for t in expression.scan_values(lambda v: isinstance(v, Token)))
    return str(getattr(expression, "value", expression))


def _written_condition(validation: Block) -> str:
    """A validation's condition exactly as its file writes it (`trailguard.constraints` reads it by meaning); "" when
    not known, which proves nothing."""
    written = validation.written("condition")
    return written if written is not None else _source_text(validation.attributes.get("condition"))


def _address_key(key: Any) -> str:
    return f"[{key}]" if isinstance(key, int) else f"[{json.dumps(str(key))}]"


def _expansion(scope: Any, block: Block) -> Any:
    """The instance keys of a block with `count` or `for_each`: [None] when it has neither, Unknown if unknowable."""
    if "count" in block.attributes:
        count = _whole_number(Evaluator(scope).evaluate(block.attributes["count"]))
        if not isinstance(count, int):
            return count if isinstance(count, Unknown) else Unknown(
                f"count of {block.labels[-1]}", f"is {count!r}, not a whole number trailguard can compute",
                FIX_VARIABLE)
        return [(index, None) for index in range(count)]
    if "for_each" in block.attributes:
        collection = Evaluator(scope).evaluate(block.attributes["for_each"])
        unknown = first_unknown(collection) if isinstance(collection, (dict, list)) else None
        if isinstance(collection, Unknown) or (isinstance(collection, list) and unknown):
            return collection if isinstance(collection, Unknown) else unknown
        if isinstance(collection, dict):
            return [(key, value) for key, value in collection.items()]
        if isinstance(collection, list):
            return [(str(value), str(value)) for value in collection]
        return Unknown(f"for_each of {block.labels[-1]}", "is not a map or set", FIX_VARIABLE)
    return [(None, None)]


def _whole_number(value: Any) -> Any:
    """Terraform's conversion for `count`: a whole number, or a string holding one (TF 0.11 wrote `count = "1"`);
    anything else is returned as it is, for the caller to name."""
    number = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return value
    if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0 or number != int(number):
        return value
    return int(number)


def _may_not_exist(address: str, why: Unknown) -> Unknown:
    """Whether a resource or module exists depends on a count or for_each trailguard cannot compute: it is kept,
    named, and every check that reads it fails closed naming the input (docs/rules.md: nothing in scope vanishes)."""
    return Unknown(f"whether {address} exists (its count or for_each reads {why.source}, which {why.why})",
                   "cannot be decided", why.fix)


class ResourceGroup:
    """All instances of one `resource` block; what `aws_x.y` names in an expression."""

    def __init__(self, module: Module, block: Block) -> None:
        self.module, self.block = module, block
        self.type, self.name = block.labels
        self._members: Optional[List[Instance]] = None

    def members(self) -> List[Instance]:
        if self._members is None:
            keys = _expansion(self.module, self.block)
            base = f"{self.module.prefix}{self.type}.{self.name}"
            if isinstance(keys, Unknown):
                existence = _may_not_exist(base, keys)
                self._members = [Instance(self.module, self.block, base, None, None, existence=existence)]
                if self.type in MODELLED:
                    self.module.notes.append(existence.describe())
            else:
                self._members = [Instance(self.module, self.block, base + ("" if key is None else _address_key(key)),
                                          key, value, self.module.existence) for key, value in keys]
                if not keys and self.type in MODELLED:
                    self.module.notes.append(f"{base} has count = 0 or an empty for_each, so it is never created")
        return self._members

    def step_attribute(self, name: str) -> Any:
        members = self.members()
        if len(members) == 1 and members[0].key is None:
            return members[0].step_attribute(name)
        return Unknown(f"{self.type}.{self.name}.{name}", "needs an index (the resource has count or for_each)",
                       "index it")

    def step_index(self, key: Any) -> Any:
        members = self.members()
        for member in members:
            if member.key == key or (member.key is not None and str(member.key) == str(key)):
                return member
        if len(members) == 1 and members[0].key is None and members[0].existence is not None:
            # Its instances cannot be computed, but a reference to one still names that instance (and Terraform
            # refuses to apply an index that does not exist): the link holds by reference.
            return Reference(members[0].address + _address_key(key), self.type, ())
        return Unknown(f"{self.type}.{self.name}[{key!r}]", "is not an instance of the resource", "check the key")

    def materialise(self) -> Any:
        members = self.members()
        if len(members) == 1 and members[0].key is None:
            return members[0]
        if all(isinstance(m.key, int) for m in members):
            return list(members)
        return {str(m.key): m for m in members}


class Instance:
    """One resource instance: its address, its scope (with `each`/`count`), and lazily evaluated attributes."""

    def __init__(self, module: Module, block: Block, address: str, key: Any, each_value: Any,
                 existence: Optional[Unknown] = None) -> None:
        self.module, self.block, self.address = module, block, address
        self.type = block.labels[0]
        self.key, self.each_value = key, each_value
        self.existence = existence
        self.location = Location(block.file, block.line, block.end_line)

    # Scope for the instance's own expressions
    def lookup(self, root: str, name: str) -> Any:
        if root == "each" and self.each_value is not None or (root == "each" and isinstance(self.key, str)):
            return {"key": self.key, "value": self.each_value}.get(name, Unknown(f"each.{name}", "is not defined",
                                                                               "use each.key or each.value"))
        if root == "count" and isinstance(self.key, int):
            return self.key if name == "index" else Unknown(f"count.{name}", "is not defined", "use count.index")
        if root == "self":
            return self.step_attribute(name)
        return self.module.lookup(root, name)

    def get(self, name: str, block: Optional[Block] = None) -> Any:
        """A configured attribute's value (None when not set)."""
        source = block or self.block
        if name not in source.attributes:
            return None
        return Evaluator(self).evaluate(source.attributes[name])

    def nested(self, name: str, block: Optional[Block] = None) -> List[NestedBlock]:
        source = block or self.block
        found = [NestedBlock(self, b) for b in source.nested(name)]
        for dynamic in source.nested("dynamic"):
            if dynamic.labels == (name,):
                found.extend(self._dynamic(dynamic))
        return found

    def _dynamic(self, dynamic: Block) -> List[NestedBlock]:
        collection = Evaluator(self).evaluate(dynamic.attributes.get("for_each")) \
            if "for_each" in dynamic.attributes else []
        content = dynamic.nested("content")
        if isinstance(collection, Unknown) or not content:
            return [NestedBlock(self, Block(dynamic.labels[0], ()), unknown=collection if isinstance(
                collection, Unknown) else Unknown(f'dynamic "{dynamic.labels[0]}"', "has no content", "add content"))]
        items = map_items(collection) if isinstance(collection, dict) else enumerate(collection)
        return [NestedBlock(_Iterator(self, dynamic.attributes.get("iterator"), dynamic.labels[0], key, value),
                            content[0]) for key, value in items]

    # What an expression elsewhere reads from this instance
    def step_attribute(self, name: str) -> Any:
        value = self._attribute(name)
        if name in LINKED_BY.get(self.type, ()) and not isinstance(value, str):
            return Reference(self.address, self.type, (name,))
        return value

    def _attribute(self, name: str) -> Any:
        if name in self.block.attributes:
            return self.get(name)
        if self.block.nested(name):
            return [nested.materialise() for nested in self.nested(name)]
        if name == "id" and self.type in ID_IS and ID_IS[self.type] in self.block.attributes:
            return self.get(ID_IS[self.type])
        return Reference(self.address, self.type, (name,))

    def step_index(self, key: Any) -> Any:
        return Unknown(f"{self.address}[{key!r}]", "indexes a single resource", "check the reference")


class _Iterator:
    """The scope of a `dynamic` block's content: the iterator variable plus the instance's scope."""

    def __init__(self, instance: Instance, iterator: Any, default_name: str, key: Any, value: Any) -> None:
        self.instance, self.key, self.value_ = instance, key, value
        self.name = default_name if iterator is None else _source_text(iterator).strip()

    def lookup(self, root: str, name: str) -> Any:
        if root == self.name:
            return {"key": self.key, "value": self.value_}.get(name, Unknown(f"{root}.{name}", "is not defined",
                                                                           "use .key or .value"))
        return self.instance.lookup(root, name)


class NestedBlock:
    """A nested block of a resource (e.g. `metric_transformation`), evaluated in the resource's scope."""

    def __init__(self, scope: Any, block: Block, unknown: Optional[Unknown] = None) -> None:
        self.scope, self.block, self.unknown = scope, block, unknown

    def get(self, name: str) -> Any:
        if self.unknown is not None:
            return self.unknown
        if name not in self.block.attributes:
            return None
        return Evaluator(self.scope).evaluate(self.block.attributes[name])

    def nested(self, name: str) -> List[NestedBlock]:
        return [NestedBlock(self.scope, b) for b in self.block.nested(name)]

    def step_attribute(self, name: str) -> Any:
        if name in self.block.attributes:
            return self.get(name)
        return [nested.materialise() for nested in self.nested(name)] or None

    def step_index(self, key: Any) -> Any:
        return Unknown(f"{self.block.type}[{key!r}]", "indexes a block", "check the reference")

    def materialise(self) -> Any:
        result: Dict[str, Any] = {name: self.get(name) for name in self.block.attributes}
        for nested in self.block.blocks:
            result.setdefault(nested.type, []).append(NestedBlock(self.scope, nested).materialise())
        return result


class _DataType:
    """`data.<type>`, waiting for the data source's name."""

    def __init__(self, resource_type: str, module: Module) -> None:
        self.type, self.module = resource_type, module

    def step_attribute(self, name: str) -> Any:
        address = f"{self.module.prefix}data.{self.type}.{name}"
        block = self.module.data_sources.get((self.type, name))
        return _DataSource(self.module, block, address) if block is not None else Reference(address, self.type, ())

    def step_index(self, key: Any) -> Any:
        return Unknown(f"data.{self.type}[{key!r}]", "is not a data source", "check the reference")


class _DataSource:
    """A declared `data` block: its arguments are its values (docs/rules.md), so `data.aws_cloudwatch_log_group.x.name`
    is the block's literal `name`; what AWS alone knows (`arn`), and a linking name that is not a plain string, is a
    reference that carries the `name` it is read by.
    """

    def __init__(self, module: Module, block: Block, address: str) -> None:
        self.module, self.block, self.address = module, block, address
        self.type = block.labels[0]

    def _argument(self, name: str) -> Any:
        return Evaluator(self.module).evaluate(self.block.attributes[name])

    def step_attribute(self, name: str) -> Any:
        value = self._argument(name) if name in self.block.attributes else None
        if isinstance(value, str) or (value is not None and name not in LINKED_BY.get(self.type, ())):
            return value
        selector = self._argument("name") if "name" in self.block.attributes else None
        return Reference(self.address, self.type, (name,), selector)

    def step_index(self, key: Any) -> Any:
        return _DataSource(self.module, self.block, self.address + _address_key(key))


class ModuleCall:
    """A `module` block: its instances (with count/for_each) and what `module.m.output` names."""

    def __init__(self, caller: Module, name: str, block: Block) -> None:
        self.caller, self.name, self.block = caller, name, block
        self._modules: Optional[Dict[Any, Any]] = None
        self._loading = False

    def instances_by_key(self) -> Dict[Any, Any]:
        if self._modules is None:
            if self._loading:  # its inputs need its own outputs, through other modules or directly
                return {None: Unknown(f'module "{self.name}"', "depends on itself through its inputs (a reference "
                                      "cycle between modules)", "break the reference cycle")}
            self._loading = True
            try:
                self._modules = self._load()
            finally:
                self._loading = False
        return self._modules

    def modules(self) -> List[Module]:
        return [module for module in self.instances_by_key().values() if isinstance(module, Module)]

    def _load(self) -> Dict[Any, Any]:
        source = Evaluator(self.caller).evaluate(self.block.attributes["source"]) \
            if "source" in self.block.attributes else None
        local = isinstance(source, str) and (source.startswith("./") or source.startswith("../"))
        if not local:
            description = f'module "{self.name}" in {self.caller.directory.path}'
            self.caller.notes.append(f'{description} comes from "{source}", which trailguard cannot read; its '
                                     f"resources are not seen ({FIX_MODULE})")
            return {None: Unknown(f'module "{self.name}"', f'comes from "{source}", which trailguard cannot read',
                                  FIX_MODULE)}
        directory = (self.caller.directory.path / source).resolve()
        if self.caller.depth >= MAX_MODULE_DEPTH or not directory.is_dir():
            why = "nests too deeply" if directory.is_dir() else f"points at {directory}, which does not exist"
            self.caller.notes.append(f'module "{self.name}" {why}')
            return {None: Unknown(f'module "{self.name}"', why, "fix the module source")}
        keys = _expansion(self.caller, self.block)
        existence = self.caller.existence
        if isinstance(keys, Unknown):  # read it once all the same, so that its resources are named, not dropped
            existence = _may_not_exist(f"{self.caller.prefix}module.{self.name}", keys)
            self.caller.notes.append(existence.describe())
            keys = [(None, None)]
        modules: Dict[Any, Any] = {}
        for key, value in keys:
            prefix = f"{self.caller.prefix}module.{self.name}" + ("" if key is None else _address_key(key)) + "."
            scope = _ModuleArguments(self.caller, key, value)
            inputs = {name: Evaluator(scope).evaluate(expression) for name, expression in self.block.attributes.items()
                      if name not in ("source", "version", "count", "for_each", "providers", "depends_on")}
            modules[key] = Module(directory, prefix, inputs, self.caller.root, self.caller.depth + 1, self.caller.notes,
                                  existence)
        return modules

    def step_attribute(self, name: str) -> Any:
        instances = self.instances_by_key()
        if list(instances) != [None]:
            return Unknown(f"module.{self.name}.{name}", "needs an index (the module has count or for_each)",
                           "index it")
        return _output(instances[None], name)

    def step_index(self, key: Any) -> Any:
        module = self.instances_by_key().get(key)
        return _ModuleInstance(module, self.name) if module is not None else Unknown(
            f"module.{self.name}[{key!r}]", "is not an instance of the module", "check the key")


class _ModuleInstance:
    def __init__(self, module: Any, name: str) -> None:
        self.module, self.name = module, name

    def step_attribute(self, name: str) -> Any:
        return _output(self.module, name)

    def step_index(self, key: Any) -> Any:
        return Unknown(f"module.{self.name}[{key!r}]", "indexes a module instance", "check the reference")


def _output(module: Any, name: str) -> Any:
    if isinstance(module, Unknown):
        return module
    block = module.outputs.get(name)
    if block is None or "value" not in block.attributes:
        return Unknown(f"module output {name!r}", "is not defined", "define the output")
    return module._cached(("output", name), lambda: Evaluator(module).evaluate(block.attributes["value"]))


class _ModuleArguments:
    """The scope of a module call's arguments: the caller's scope plus `each`/`count` of the call."""

    def __init__(self, caller: Module, key: Any, value: Any) -> None:
        self.caller, self.key, self.value_ = caller, key, value

    def lookup(self, root: str, name: str) -> Any:
        if root == "each" and self.key is not None:
            return {"key": self.key, "value": self.value_}.get(name)
        if root == "count" and isinstance(self.key, int) and name == "index":
            return self.key
        return self.caller.lookup(root, name)


def load_root(directory: Path) -> Module:
    """The root module in `directory`, with every local child module."""
    directory = directory.resolve()
    return Module(directory, "", {}, directory)
