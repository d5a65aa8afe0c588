package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.recordingexporter.HclReader.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Terraform set-up of the Genesys side ({@code config/genesys}) holds together without Terraform, its provider or
 * Genesys: every {@code .tf} file is read with a small HCL reader of this test's own (blocks and labels, attributes,
 * strings with {@code ${...}} interpolation and {@code $${} escapes, heredocs, comments, lists, objects, function calls
 * and conditionals) and checked: every reference ({@code var.x}, {@code local.x}, {@code data.t.n},
 * {@code <resource_type>.<name>.<attr>}) resolves, every variable is used, every file the configuration names exists,
 * the Process Automation trigger fires on {@code customer.end} with a delay into the workflow, the workflow file gets
 * every substitution it uses, the data action POSTs to {@code /webhooks/genesys} with the bearer token from its
 * credential, the role holds only the permissions the exporter's calls need, each with a comment naming its endpoints,
 * and the outputs give the client id and the secret (sensitive).
 */
class GenesysTerraformTest {

    private static final Path DIR = Path.of("config", "genesys");
    private static final String TOPIC = "v2.detail.events.conversation.{id}.customer.end";
    private static final String WEBHOOK_PATH = "/webhooks/genesys";

    /**
     * The permissions the exporter's Genesys calls need (GenesysRecordings, the only class that calls the API), and no
     * more: the role may grant a part of them (the optional ones behind variables), never anything else.
     */
    private static final Set<String> NEEDED = Set.of(
            "analytics:conversationDetail:view",
            "recording:recording:view",
            "recording:screenRecording:view");
    private static final Set<String> OPTIONAL = Set.of(
            "recording:recording:viewSensitiveData", // complete export in orgs with sensitive-data redaction
            "conversation:communication:view"); // legal-hold attribute read in real time

    /**
     * Attributes the provider computes (so they are never set in the configuration) that references may read, per
     * resource or data source type, beside {@code id} and the arguments a block sets.
     */
    static final Map<String, Set<String>> COMPUTED = Map.of(
            "genesyscloud_oauth_client", Set.of("client_id", "client_secret", "integration_credential_id"),
            "genesyscloud_flow", Set.of("file_content_hash", "name", "type"),
            "genesyscloud_auth_division_home", Set.of("name", "description"));

    private static Config config;

    @BeforeAll
    static void read() throws IOException {
        config = Config.load(DIR);
        assertTrue(config.files.size() >= 4, "the .tf files of " + DIR + ": " + config.files);
        assertTrue(config.syntaxProblems.isEmpty(), String.join("\n", config.syntaxProblems));
    }

    // ---------------------------------------------------------------------------------------------------- checks

    @Test
    void everyReferenceResolves() {
        List<String> problems = config.referenceProblems();
        assertTrue(problems.isEmpty(), "references that resolve to nothing declared in " + DIR + ":\n"
                + String.join("\n", problems));
        assertTrue(config.referenceCount > 20, "references found: " + config.referenceCount);
    }

    @Test
    void everyVariableIsUsed() {
        List<String> problems = config.unusedVariables();
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void webhookTokenIsASensitiveVariable() {
        Block token = config.variables.get("exporter_webhook_token");
        assertNotNull(token, "variable exporter_webhook_token");
        assertEquals(Boolean.TRUE, config.eval(token.attr("sensitive")), "exporter_webhook_token is sensitive");
        assertFalse(token.attrs.containsKey("default"), "the webhook token has no default: it is a secret");
    }

    @Test
    void everyFileTheConfigurationNamesExists() {
        List<String> named = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Use<Value.Call> call : config.calls()) {
            if (Set.of("file", "templatefile", "filesha256", "filebase64sha256", "filemd5", "filebase64")
                    .contains(call.value().name())) {
                named.add(checkFile(call.value().args().isEmpty() ? null : call.value().args().get(0), call.where(),
                        problems));
            }
        }
        for (Block flow : config.resourcesOfType("genesyscloud_flow")) {
            named.add(checkFile(flow.attr("filepath"), flow.where(), problems));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertFalse(named.isEmpty(), "the workflow file at least");
    }

    private static String checkFile(Value path, String where, List<String> problems) {
        Object evaluated = path == null ? null : config.eval(path);
        if (!(evaluated instanceof String file) || file.contains("${")) {
            problems.add(where + ": cannot tell which file " + path + " names");
            return null;
        }
        if (!Files.isRegularFile(Path.of(file))) {
            problems.add(where + ": " + file + " does not exist");
        }
        return file;
    }

    @Test
    void triggerFiresOnCustomerEndWithADelayIntoTheWorkflow() {
        List<Block> triggers = config.resourcesOfType("genesyscloud_processautomation_trigger");
        assertEquals(1, triggers.size(), "one Process Automation trigger");
        Block trigger = triggers.get(0);
        assertEquals(TOPIC, config.eval(trigger.attr("topic_name")), trigger.where() + ": topic_name");
        assertEquals(Boolean.TRUE, config.eval(trigger.attr("enabled")), trigger.where() + ": enabled");
        Object delay = config.eval(trigger.attr("delay_by_seconds"));
        assertTrue(delay instanceof BigDecimal seconds && seconds.intValue() >= 60 && seconds.intValue() <= 900,
                trigger.where() + ": delay_by_seconds between 60 and 900 (so the recordings exist), got " + delay);
        assertFalse(trigger.attrs.containsKey("event_ttl_seconds"),
                "only one of delay_by_seconds and event_ttl_seconds may be set");

        Block target = trigger.only("target");
        assertEquals("Workflow", config.eval(target.attr("type")), target.where() + ": target type");
        Value.Ref flow = assertInstanceOf(Value.Ref.class, target.attr("id"), target.where() + ": target id");
        assertEquals(List.of("genesyscloud_flow"), flow.names().subList(0, 1), "the trigger targets a workflow");
        Block workflow = config.resources.get("genesyscloud_flow." + flow.names().get(1));
        assertNotNull(workflow, "the trigger's workflow is declared: " + flow);
        assertEquals("id", flow.names().get(2));
        assertEquals("TopLevelPrimitives", config.eval(target.only("workflow_target_settings").attr("data_format")),
                "the event's top-level fields (conversationId) become the workflow's inputs");

        Object criteria = config.eval(trigger.attr("match_criteria"));
        assertTrue(criteria instanceof Json json && json.value() instanceof List<?> list && !list.isEmpty(),
                trigger.where() + ": match_criteria is a JSON list (the provider parses it as one), got " + criteria);
    }

    @Test
    void workflowFileTakesTheConversationIdAndEverySubstitution() throws IOException {
        Block flow = config.resourcesOfType("genesyscloud_flow").get(0);
        Path file = Path.of((String) config.eval(flow.attr("filepath")));
        assertTrue(Files.isRegularFile(file), flow.where() + ": the workflow file " + file + " exists");
        String yaml = Files.readString(file);
        Set<String> placeholders = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}").matcher(yaml);
        while (placeholder.find()) {
            placeholders.add(placeholder.group(1));
        }
        Value.Obj substitutions = assertInstanceOf(Value.Obj.class, flow.attr("substitutions"),
                flow.where() + ": substitutions");
        assertEquals(placeholders, new TreeSet<>(substitutions.entries().keySet()),
                "the workflow file's {{placeholders}} and the flow's substitutions");
        assertTrue(Pattern.compile("(?m)^\\s*workflow:").matcher(yaml).find(), "an Architect workflow");
        assertTrue(Pattern.compile("name: Flow\\.conversationId\\s+initialValue:\\s+noValue: true\\s+isInput: true")
                .matcher(yaml).find(), "Flow.conversationId is an input of the workflow");
        assertTrue(yaml.contains("exp: Flow.conversationId"), "the data action gets Flow.conversationId");

        Block action = config.resourcesOfType("genesyscloud_integration_action").get(0);
        String actionRef = "genesyscloud_integration_action." + action.labels.get(1);
        assertEquals(actionRef + ".name", substitutions.entries().get("data_action_name").toString());
        assertEquals(actionRef + ".category", substitutions.entries().get("data_action_category").toString());
    }

    @Test
    void dataActionPostsTheConversationToTheWebhookWithTheBearerToken() {
        List<Block> actions = config.resourcesOfType("genesyscloud_integration_action");
        assertEquals(1, actions.size(), "one data action");
        Block action = actions.get(0);
        Block request = action.only("config_request");
        assertEquals("POST", config.eval(request.attr("request_type")), request.where() + ": request_type");
        Object url = config.eval(request.attr("request_url_template"));
        assertTrue(url instanceof String u && u.endsWith(WEBHOOK_PATH),
                request.where() + ": request_url_template ends with " + WEBHOOK_PATH + ", got " + url);
        assertTrue(String.valueOf(url).startsWith("${var.exporter_base_url}")
                        || String.valueOf(url).startsWith("https://"), "the exporter's base URL first: " + url);

        Value.Obj headers = assertInstanceOf(Value.Obj.class, request.attr("headers"), request.where() + ": headers");
        Map<String, Object> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.entries().forEach((name, value) -> byName.put(name, config.eval(value)));
        assertEquals("application/json", byName.get("Content-Type"), "Content-Type");
        Object authorization = byName.get("Authorization");
        Matcher bearer = Pattern.compile("Bearer \\$\\{credentials\\.(\\w+)}").matcher(String.valueOf(authorization));
        assertTrue(bearer.matches(), "Authorization: Bearer ${credentials.<field>}, got " + authorization);

        // the field is one of the credential the action's integration holds, and that field is the token variable
        Value.Ref integrationRef = assertInstanceOf(Value.Ref.class, action.attr("integration_id"), "integration_id");
        Block integration = config.resources.get("genesyscloud_integration." + integrationRef.names().get(1));
        assertNotNull(integration, "the action's integration: " + integrationRef);
        assertEquals("custom-rest-actions", config.eval(integration.attr("integration_type")),
                "a Web Services Data Actions integration");
        Value.Obj credentials = assertInstanceOf(Value.Obj.class, integration.only("config").attr("credentials"),
                "the integration's credentials");
        Map<String, Value> fields = new LinkedHashMap<>();
        for (Value credentialId : credentials.entries().values()) {
            Value.Ref ref = assertInstanceOf(Value.Ref.class, credentialId, "a credential reference");
            Block credential = config.resources.get("genesyscloud_integration_credential." + ref.names().get(1));
            assertNotNull(credential, "the integration's credential " + ref);
            assertEquals("userDefined", config.eval(credential.attr("credential_type_name")),
                    "a User Defined credential: its fields are ${credentials.<field>} in the action");
            fields.putAll(assertInstanceOf(Value.Obj.class, credential.attr("fields"), "credential fields").entries());
        }
        Value token = fields.get(bearer.group(1));
        assertNotNull(token, "the credential has the field " + bearer.group(1) + ": " + fields.keySet());
        assertEquals("var.exporter_webhook_token", token.toString(), "the field holds the webhook token");

        Object body = config.eval(request.attr("request_template"));
        String expectedBody = "\\{\\s*\"conversationId\"\\s*:\\s*\"\\$\\{input\\.conversationId}\"\\s*}";
        assertTrue(String.valueOf(body).matches(expectedBody),
                "the body is {\"conversationId\": \"${input.conversationId}\"}, got " + body);
        Object contract = config.eval(action.attr("contract_input"));
        assertTrue(contract instanceof Json json && json.value() instanceof Map<?, ?> schema
                        && schema.get("required") instanceof List<?> required && required.contains("conversationId"),
                "contract_input requires conversationId, got " + contract);
    }

    @Test
    void roleGrantsOnlyWhatTheExporterCallsNeedEachWithItsEndpoints() {
        List<Block> roles = config.resourcesOfType("genesyscloud_auth_role");
        assertEquals(1, roles.size(), "one role");
        Set<String> granted = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Block policy : roles.get(0).policies()) {
            if (!policy.comment.contains("/api/v2/")) {
                problems.add(policy.where() + ": no comment naming the API endpoint(s) that need this permission");
            }
            Block content = policy.type.equals("dynamic") ? policy.only("content") : policy;
            Object domain = config.eval(content.attr("domain"));
            Object entity = config.eval(content.attr("entity_name"));
            for (String action : config.possibleStrings(content.attr("action_set"))) {
                granted.add(domain + ":" + entity + ":" + action);
            }
        }
        Set<String> extra = new TreeSet<>(granted);
        extra.removeAll(NEEDED);
        extra.removeAll(OPTIONAL);
        if (!extra.isEmpty()) {
            problems.add(roles.get(0).where() + ": permissions no exporter call needs: " + extra);
        }
        if (!granted.containsAll(NEEDED)) {
            problems.add(roles.get(0).where() + ": permissions the exporter's calls need: " + NEEDED + ", granted "
                    + granted);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        Block client = config.resourcesOfType("genesyscloud_oauth_client").get(0);
        assertEquals("CLIENT-CREDENTIALS", config.eval(client.attr("authorized_grant_type")), "grant type");
        Value.Ref role = assertInstanceOf(Value.Ref.class, client.only("roles").attr("role_id"), "the client's role");
        assertEquals(List.of("genesyscloud_auth_role", roles.get(0).labels.get(1), "id"), role.names());
    }

    @Test
    void outputsGiveTheClientIdAndTheSecretAsSensitive() {
        Block id = config.outputs.get("exporter_client_id");
        Block secret = config.outputs.get("exporter_client_secret");
        assertNotNull(id, "output exporter_client_id");
        assertNotNull(secret, "output exporter_client_secret");
        assertTrue(id.attr("value").toString().matches("genesyscloud_oauth_client\\.\\w+\\.(id|client_id)"),
                "client id output: " + id.attr("value"));
        assertTrue(secret.attr("value").toString().matches("genesyscloud_oauth_client\\.\\w+\\.client_secret"),
                "secret output: " + secret.attr("value"));
        assertEquals(Boolean.TRUE, config.eval(secret.attr("sensitive")), "the secret output is sensitive");
        Block client = config.resourcesOfType("genesyscloud_oauth_client").get(0);
        assertEquals(Boolean.TRUE, config.eval(client.attr("expose_client_secret")),
                "the provider fills client_secret only with expose_client_secret = true");
    }

    @Test
    void providerComesFromTheRegistryWithAVersionConstraint() {
        Block terraform = config.blocks.stream().filter(b -> b.type.equals("terraform")).findFirst().orElseThrow();
        Value.Obj provider = assertInstanceOf(Value.Obj.class,
                terraform.only("required_providers").attr("genesyscloud"), "required_providers.genesyscloud");
        assertEquals("mypurecloud/genesyscloud", config.eval(provider.entries().get("source")));
        Object version = config.eval(provider.entries().get("version"));
        assertTrue(version instanceof String v && v.matches("[~>=<!, .0-9]+") && v.matches(".*\\d+\\.\\d+.*"),
                "a version constraint: " + version);
    }

    /** The reader and the checks catch what they are for: this configuration is broken on purpose. */
    @Test
    void brokenReferencesAreReported() {
        Config broken = Config.of(Map.of("broken.tf", """
                variable "used" {
                  type = list(string) # a type, not a reference
                }
                variable "never_used" {
                  type    = string
                  default = "x"
                }
                locals {
                  url = "${trimsuffix(var.used[0], "/")}/webhooks/genesys" // interpolation with a nested string
                  literal = "$${not.a.reference} and %%{ not a directive }"
                }
                resource "genesyscloud_flow" "real" {
                  filepath = "${path.module}/missing.yaml"
                  substitutions = {
                    a = genesyscloud_flow.real.name
                    b = data.genesyscloud_auth_division_home.nope.name
                  }
                }
                resource "genesyscloud_processautomation_trigger" "t" {
                  topic_name = <<-EOT
                    ${local.missing_local}
                  EOT
                  target {
                    id   = genesyscloud_flow.typo.id
                    type = "Workflow"
                  }
                  description = var.undeclared
                  /* a block comment with genesyscloud_flow.ignored.id */
                  enabled = genesyscloud_flow.real.no_such_attribute != null ? true : false
                  match_criteria = jsonencode([for c in var.used : { jsonPath = c }])
                }
                """), Path.of("broken-config"));
        assertTrue(broken.syntaxProblems.isEmpty(), String.join("\n", broken.syntaxProblems));
        String problems = String.join("\n", broken.referenceProblems());
        for (String expected : List.of("data.genesyscloud_auth_division_home.nope", "local.missing_local",
                "genesyscloud_flow.typo", "var.undeclared", "genesyscloud_flow.real.no_such_attribute")) {
            assertTrue(problems.contains(expected), "reported: " + expected + "\n" + problems);
        }
        for (String fine : List.of("var.used", "genesyscloud_flow.real.name", "not.a.reference", "ignored",
                ": string", "path.module", ": c ")) {
            assertFalse(problems.contains(fine), "not a problem: " + fine + "\n" + problems);
        }
        assertTrue(problems.contains("broken.tf:16: data.genesyscloud_auth_division_home.nope"),
                "problems say where: " + problems);
        assertEquals(List.of("broken.tf:4: variable never_used is declared but never used"), broken.unusedVariables());
        assertEquals("${not.a.reference} and %{ not a directive }", broken.eval(broken.locals.get("literal")));
    }

    @Test
    void readerUnderstandsTheHclItNeeds() {
        Config sample = Config.of(Map.of("sample.tf", """
                # comment
                locals {
                  text     = "a \\"quoted\\" \\\\ ${upper("b")} $${c}"
                  heredoc  = <<EOT
                line ${local.text}
                EOT
                  list     = [1, 2.5, true, null, "x",]
                  object   = { "k-1" = "v", k2 : [ { n = 1 } ] }
                  cond     = 1 == 1 ? ["view", "viewSensitiveData"] : ["view"]
                  multi    = [
                    "a",
                    "b"
                  ]
                }
                block "one" "two" { inline = true }
                """), Path.of("sample"));
        assertTrue(sample.syntaxProblems.isEmpty(), String.join("\n", sample.syntaxProblems));
        String text = "a \"quoted\" \\ <unknown> ${c}"; // upper() is not evaluated
        assertEquals(text, sample.eval(sample.locals.get("text")));
        assertEquals("line " + text + "\n", sample.eval(sample.locals.get("heredoc")));
        Value.Obj object = assertInstanceOf(Value.Obj.class, sample.locals.get("object"), "object");
        assertEquals(Set.of("k-1", "k2"), object.entries().keySet());
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("2.5"), Boolean.TRUE, Json.NULL, "x"),
                sample.eval(sample.locals.get("list")));
        assertEquals(Set.of("view", "viewSensitiveData"), sample.possibleStrings(sample.locals.get("cond")));
        assertEquals(List.of("a", "b"), sample.eval(sample.locals.get("multi")));
        Block block = sample.blocks.stream().filter(b -> b.type.equals("block")).findFirst().orElseThrow();
        assertEquals(List.of("one", "two"), block.labels);
        assertEquals(Boolean.TRUE, sample.eval(block.attr("inline")));
        assertEquals("# comment", sample.blocks.get(0).comment.strip());
    }

    private static <T> T assertInstanceOf(Class<T> type, Object value, String what) {
        if (!type.isInstance(value)) {
            fail(what + ": expected " + type.getSimpleName() + ", got " + value);
        }
        return type.cast(value);
    }
}
